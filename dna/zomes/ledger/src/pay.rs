//! A payment is one countersigned entry committed on both parties' chains and on the chains of a
//! quorum of the village's witnesses (a majority, `witness_quorum`). The payer's conductor runs the
//! session: `start_payment` drafts the entry from both parties' positions (aged to the session's
//! start, by the same `expected_after` rule validation uses), names both parties' chain tops for
//! the witnesses to attest, has each witness of the quorum check them and sign (locking its
//! chain), then locks the payer's chain and has the payee lock its own. The payer's client then has
//! the payee commit (`commit_on_payee`), then the witnesses and itself (`commit_on_witnesses`,
//! `complete_payment`), retrying while a conductor still waits for the others' latest actions. The
//! parties send their signatures to the first witness (the session's enzyme), which completes the
//! session.
use crate::activity::own_chain_head;
use crate::chain_lock::{accept, held_until_window, lock_my_chain, WitnessSigned};
use crate::error::{violation, Refusal};
use crate::ledger::fund_held_for_spend;
use crate::members::member;
use crate::position::{aged_to, read_my_position, Position};
use crate::refuse;
use crate::remote::{call_member, call_members_at_once, RemoteReply};
use crate::session::{
    commit_countersigned, fetch_signer_tops, initiator, released_orphaned_lock, session_witnesses, signed_session_data, tops_bytes, written_here,
    AcceptPaymentInput, PaymentSession,
};
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{
    cash_out_fee, check_amount, check_cash_out, check_fund_cover, check_memo, check_payment_entry, check_purchase, distinct_village_witnesses,
    expected_after, fund_spent, witness_quorum, AttestedTops, ChainTop, Role, PAYMENT_WINDOW_MS,
};
use ledger_integrity::ViolationCode;
use ledger_integrity::{
    attested_tops, current_village, party_chain_held_now, CashOutRequest, EntryTypes, Offer, PartyState, Payment, PaymentKind, Units,
    VillageProperties,
};

/// How far into a session the payee still writes first (`early_enough_to_write_first`).
const PAYEE_WRITES_WITHIN_MS: u64 = PAYMENT_WINDOW_MS / 2;
/// How often the payer asks a witness that has not yet seen a party's latest actions again.
const WITNESS_CATCH_UP_ATTEMPTS: usize = 40;
/// How long the payer keeps asking the witnesses the app found answering while each is busy
/// signing other sessions, before a busy one is passed over (and the others are asked): an honest
/// session holds a witness for moments, a forged or abandoned one for its whole window.
const WITNESS_BUSY_WAIT_MICROS: i64 = 2_000_000;

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct PayInput {
    pub payee: AgentPubKey,
    pub amount: Units,
    pub memo: String,
    /// A trade when absent. A cash-out's fee is the village's, whatever the input says.
    #[serde(default = "trade")]
    pub kind: PaymentKind,
    /// Witnesses the app has just found answering (`is_reachable`, asked of all at once); they are
    /// tried first, as asking one that does not answer costs a whole request timeout.
    #[serde(default)]
    pub witnesses_online: Vec<AgentPubKey>,
}

fn trade() -> PaymentKind {
    PaymentKind::Trade
}

/// What the payee quotes: its position, and its chain top for the witness to attest.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Quote {
    pub position: Position,
    pub top: ChainTop<ActionHash>,
}

/// The entry an honest payment would commit, without locking anything and without the checks
/// against other records (`check_kind`). Tests hand drafts, altered, to the dishonest `forger` zome.
#[hdk_extern]
pub fn draft_payment(input: PayInput) -> ExternResult<Payment> {
    Ok(draft(input, Locking::No)?.0)
}

/// Whether a draft is for a session that will lock chains, or only shown (`draft_payment`).
#[derive(PartialEq)]
enum Locking {
    Yes,
    No,
}

/// Drafts the payment and returns it with the payer's position it was drafted from and the payee's
/// quote. For a session, the payee quotes only once it can read the payer's chain top.
fn draft(input: PayInput, locking: Locking) -> ExternResult<(Payment, Position, Quote)> {
    let me = agent_info()?.agent_initial_pubkey;
    check_amount(input.amount).map_err(violation)?;
    if input.payee == me {
        return Err(refuse(ViolationCode::SelfPayment, "you cannot pay yourself"));
    }
    check_memo(&input.memo).map_err(violation)?;
    let village = current_village()?;
    if member(&me, GetStrategy::Local)?.is_none() {
        return Err(refuse(ViolationCode::NotAMember, "join the village before paying"));
    }
    if member(&input.payee, GetStrategy::Network)?.is_none() {
        return Err(refuse(ViolationCode::UnknownMember, "the payee is not a member of this village"));
    }
    let mine = read_my_position()?;
    if mine.closed {
        return Err(refuse(ViolationCode::AccountClosed, "your account is closed"));
    }
    let payer_top = if locking == Locking::Yes { Some(own_chain_head()?.hash) } else { None };
    let quote: Quote = call_member(&input.payee, "quote_receipt", payer_top)?;
    let theirs = &quote.position;
    let kind = match input.kind {
        PaymentKind::CashOut { request, .. } => PaymentKind::CashOut { request, fee: cash_out_fee(input.amount, village.cash_out) },
        kind => kind,
    };
    let now = sys_time()?;
    let (payer_before, payee_before) = (aged_to(&mine, now, &village)?, aged_to(theirs, now, &village)?);
    let (payer_after, payee_after) =
        expected_after(input.amount, &kind, (&me, &payer_before), (&input.payee, &payee_before), &village).map_err(violation)?;
    let payment = Payment {
        amount: input.amount,
        kind,
        at: now,
        payer: PartyState { agent: me.clone(), previous_payment: mine.latest_payment.clone(), before: payer_before, after: payer_after },
        payee: PartyState { agent: input.payee.clone(), previous_payment: theirs.latest_payment.clone(), before: payee_before, after: payee_after },
        memo: input.memo,
    };
    check_payment_entry(&payment.facts(), &[me, input.payee], &village).map_err(violation)?;
    Ok((payment, mine, quote))
}

/// What validation checks against other records (an offer, a cash-out request), checked before
/// anything is locked so the member gets the refusal at once.
fn check_kind(payment: &Payment, village: &VillageProperties) -> ExternResult<()> {
    match &payment.kind {
        PaymentKind::Purchase { offer } => {
            let record = get(offer.clone(), GetOptions::network())?.ok_or_else(|| refuse(ViolationCode::WrongOffer, "no such offer"))?;
            let published: Offer =
                record.entry().to_app_option().map_err(|e| wasm_error!(e))?.ok_or_else(|| refuse(ViolationCode::WrongOffer, "not an offer"))?;
            check_purchase(payment.amount, *record.action().author() == payment.payee.agent, &published.breakdown()).map_err(violation)
        }
        PaymentKind::CashOut { request, fee } => {
            let record = get(request.clone(), GetOptions::local())?
                .ok_or_else(|| refuse(ViolationCode::WrongCashOut, "no such cash-out request on your chain"))?;
            let requested: CashOutRequest = record
                .entry()
                .to_app_option()
                .map_err(|e| wasm_error!(e))?
                .ok_or_else(|| refuse(ViolationCode::WrongCashOut, "not a cash-out request"))?;
            let facts = requested.facts(record.action().author().clone(), record.action().timestamp());
            check_cash_out(&payment.payer.agent, payment.amount, *fee, &payment.payer.before, &facts, payment.at.as_micros(), village.cash_out)
                .map_err(violation)
        }
        _ => Ok(()),
    }
}

#[hdk_extern]
pub fn start_payment(input: PayInput) -> ExternResult<PaymentSession> {
    if matches!(input.kind, PaymentKind::Voucher { .. } | PaymentKind::Redemption { .. } | PaymentKind::Reclaim { .. }) {
        return Err(refuse(
            ViolationCode::WrongVoucher,
            "vouchers are written with issue_voucher, redeemed with start_redemption and taken back with start_reclaim",
        ));
    }
    let payee = input.payee.clone();
    let village = current_village()?;
    let signed = quorum_first(&village, &input.witnesses_online, || {
        let (payment, mine, quote) = draft(input.clone(), Locking::Yes)?;
        check_kind(&payment, &village)?;
        // This conductor's validation of the payment reads the payee's chain from its own store,
        // as the witness's does (`witness::check_session`): nothing is locked until it holds it.
        party_chain_held_now(&payment.payee, quote.top.hash.clone(), &village)
            .map_err(|_| refuse(ViolationCode::NotSynced, "your conductor has not yet received the payee's latest actions; try again in a moment"))?
            .map_err(violation)?;
        let fund_held = fund_held_for_spend(&payment)?;
        check_fund_cover(payment.amount, fund_spent(&payment.kind, &payment.payer.agent, &village), fund_held).map_err(violation)?;
        // The figure named is the amount itself, which the fund covers: the witness's own read,
        // which stops wherever it covers the amount, then stands behind it whatever order it read in.
        let tops = AttestedTops { payer: own_chain_head()?, payee: quote.top.clone(), fund_held: fund_held.map(|_| payment.amount) };
        Ok((payment, tops, mine))
    })?;
    let Some(my_response) = lock_my_chain(&signed, &signed.tops.payer)? else {
        return Ok(signed.unfinished());
    };
    let input = AcceptPaymentInput { payment: signed.payment.clone(), request: signed.request };
    let their_response: PreflightResponse = call_member(&payee, "accept_payment", &input).map_err(|refusal| held_until_window(refusal.into()))?;
    let mut responses = signed.witness_responses;
    responses.extend([my_response, their_response]);
    Ok(PaymentSession { payment: signed.payment, responses })
}

/// A quorum of witnesses signs first, before any party locks its chain: a witness busy with
/// another session (or one that has since signed a later one) costs nothing but a fresh draft, so
/// `draft` is called again (a new time, the positions read again) until a quorum signs. The quorum
/// is the first `witness_quorum` witnesses in `witness_order` not passed over; while its first
/// witness is busy, the turn passes on by one; once witnesses have been busy for
/// WITNESS_BUSY_WAIT_MICROS, a busy one is passed over, so one that holds its chain locked (a
/// session left unfinished, or a dishonest witness) cannot stop payments while enough others are
/// free. A witness that does not answer, or stays behind, is passed over, also with a fresh draft:
/// its request timeout may have used up the session's window. Witnesses that signed an attempt
/// which then failed stay locked by it until its window closes: they are asked last, and waited
/// for rather than passed over.
pub fn quorum_first(
    village: &VillageProperties,
    online: &[AgentPubKey],
    mut draft: impl FnMut() -> ExternResult<(Payment, AttestedTops<ActionHash>, Position)>,
) -> ExternResult<WitnessSigned> {
    let quorum_size = witness_quorum(village.witnesses.len());
    let mut busy_answers = 0;
    let mut busy_since: Option<i64> = None;
    let mut passed_over: Vec<AgentPubKey> = Vec::new();
    let mut held_by_failed_attempts: Vec<(AgentPubKey, i64)> = Vec::new();
    let mut last_error = Refusal::new(
        ViolationCode::NoWitnessOnline,
        format!("a payment needs {quorum_size} of the village's {} witnesses online, and too few answered", village.witnesses.len()),
    );
    loop {
        let (payment, tops, drafted_from) = draft()?;
        let now = sys_time()?.as_micros();
        let held = |w: &AgentPubKey, held_by: &[(AgentPubKey, i64)]| held_by.iter().any(|(held, until)| held == w && now < *until);
        let (free, held_now): (Vec<&AgentPubKey>, Vec<&AgentPubKey>) = witness_order(&payment, &village.witnesses, online, busy_answers)
            .into_iter()
            .filter(|w| !passed_over.contains(w))
            .partition(|w| !held(w, &held_by_failed_attempts));
        let mut quorum: Vec<AgentPubKey> = free.into_iter().chain(held_now).take(quorum_size).cloned().collect();
        if quorum.len() < quorum_size {
            return Err(last_error.into());
        }
        // Every session asks its witnesses in one village-wide order, so two sessions never each
        // hold a witness the other waits for.
        quorum.sort();
        let failure = match sign_with_quorum(&payment, &tops, &quorum) {
            Ok((request, witness_responses)) => return Ok(WitnessSigned { payment, tops, drafted_from, request, witness_responses }),
            Err(failure) => failure,
        };
        let window_end = payment.at.as_micros() + PAYMENT_WINDOW_MS as i64 * 1000;
        held_by_failed_attempts.extend(failure.signed.iter().map(|w| (w.clone(), window_end)));
        let (witness, e) = (failure.witness, failure.error);
        if [ViolationCode::PaymentInProgress, ViolationCode::LockReleased, ViolationCode::SignedLaterSession].iter().any(|code| e.is(*code)) {
            let now = sys_time()?.as_micros();
            busy_answers += 1;
            let busy_for_long = !failure.signed.is_empty() || now - *busy_since.get_or_insert(now) >= WITNESS_BUSY_WAIT_MICROS;
            if busy_for_long && !held(&witness, &held_by_failed_attempts) {
                passed_over.push(witness);
                last_error = Refusal::new(ViolationCode::WitnessBusy, "the village's witnesses are busy with other payments; try again in a moment");
            }
        } else if e.is(ViolationCode::NoWitnessOnline) || e.is(ViolationCode::WitnessBehind) {
            passed_over.push(witness);
            // A witness that answered (busy, or still catching up) says more, and the app asks
            // again, than one that did not answer.
            if last_error.is(ViolationCode::NoWitnessOnline) {
                last_error = e;
            }
        } else {
            return Err(e.into());
        }
    }
}

/// The witnesses in the order this session asks them: those the app found answering first, then
/// the others, each group turned by a number read from the payer's key (so that payers spread over
/// the witnesses instead of colliding); each busy answer passes the turn on by one.
fn witness_order<'a>(payment: &Payment, witnesses: &'a [AgentPubKey], online: &[AgentPubKey], busy_answers: usize) -> Vec<&'a AgentPubKey> {
    let spread = payment.payer.agent.get_raw_39().iter().map(|b| *b as usize).sum::<usize>();
    let (answering, others): (Vec<&AgentPubKey>, Vec<&AgentPubKey>) = witnesses.iter().partition(|w| online.contains(w));
    let turned = |group: Vec<&'a AgentPubKey>| {
        let len = group.len();
        group.into_iter().cycle().skip((spread + busy_answers) % len.max(1)).take(len).collect::<Vec<_>>()
    };
    [turned(answering), turned(others)].concat()
}

/// Why a quorum did not sign: the witness that refused, its refusal, and the witnesses that had
/// signed before it (each now locked by the failed attempt until its window closes).
pub struct QuorumFailure {
    witness: AgentPubKey,
    error: Refusal,
    signed: Vec<AgentPubKey>,
}

/// Has each witness of `quorum`, in order, check and sign this session. A witness that has signed
/// holds its chain locked for the session, so a later witness that is busy is asked again, with the
/// same request, for up to WITNESS_BUSY_WAIT_MICROS (the village-wide order means the session it is
/// busy with does not wait for ours).
fn sign_with_quorum(
    payment: &Payment,
    tops: &AttestedTops<ActionHash>,
    quorum: &[AgentPubKey],
) -> Result<(PreflightRequest, Vec<PreflightResponse>), QuorumFailure> {
    let failed = |i: usize, error: Refusal| QuorumFailure { witness: quorum[i].clone(), error, signed: quorum[..i].to_vec() };
    let request = preflight_request(payment, quorum, tops).map_err(|e| failed(0, Refusal::of(&e)))?;
    let mut responses = Vec::with_capacity(quorum.len());
    for (i, witness) in quorum.iter().enumerate() {
        let started = sys_time().map_err(|e| failed(i, Refusal::of(&e)))?.as_micros();
        let response = loop {
            match sign_with_witness(payment, &request, witness) {
                Err(e) if i > 0 && (e.is(ViolationCode::PaymentInProgress) || e.is(ViolationCode::LockReleased)) => {
                    if sys_time().map_err(|e| failed(i, Refusal::of(&e)))?.as_micros() - started >= WITNESS_BUSY_WAIT_MICROS {
                        break Err(e);
                    }
                }
                other => break other,
            }
        };
        responses.push(response.map_err(|e| failed(i, e))?);
    }
    Ok((request, responses))
}

/// Has `witness` check and sign this session, asked again while it has not yet seen a party's
/// latest actions. A refusal (a stale or forked chain; a busy witness: `quorum_first` drafts
/// again) ends the attempt: a stale top refused by the witness that remembers it must not be tried
/// on another whose authorities may lag. One that does not answer: `no_witness_online`.
fn sign_with_witness(payment: &Payment, request: &PreflightRequest, witness: &AgentPubKey) -> Result<PreflightResponse, Refusal> {
    let input = AcceptPaymentInput { payment: payment.clone(), request: request.clone() };
    let mut behind = Refusal::new(ViolationCode::WitnessBehind, "the witness has not yet seen the parties' latest actions");
    for _ in 0..WITNESS_CATCH_UP_ATTEMPTS {
        match call_member::<_, PreflightResponse>(witness, "witness_payment", &input) {
            Ok(response) => return Ok(response),
            Err(e) if e.is(ViolationCode::WitnessBehind) => behind = e,
            Err(e) if e.is(ViolationCode::CounterpartyOffline) => {
                return Err(Refusal::new(ViolationCode::NoWitnessOnline, format!("a village witness did not answer ({})", e.message)));
            }
            Err(e) => return Err(e),
        }
    }
    Err(behind)
}

/// Has the payee commit its side of a session `start_payment` returned. Until the payee's
/// conductor holds the payer's latest actions this fails with `DepMissingFromDht`; the client
/// retries (wasm cannot wait), within the session window.
#[hdk_extern]
pub fn commit_on_payee(session: PaymentSession) -> ExternResult<ActionHash> {
    let me = agent_info()?.agent_initial_pubkey;
    if session.payment.payer.agent != me {
        return Err(refuse(ViolationCode::ForgedCounterparty, "only the payer asks the payee to commit"));
    }
    // The payee writes first and this payer after it: a payer that could not write would leave the
    // payee's side written alone, to be abandoned. So the payer first holds what its own commit
    // needs of the others (their chain tops), and asks the payee only then: a top can reach one
    // signer and not another in time (seen: a witness's newest action found by no peer for 10 s).
    // Past the payee's half of the window the payee would refuse anyway: said here.
    if let Err(missing) = fetch_signer_tops(&signed_session_data(&session)?) {
        early_enough_to_write_first(&session)?;
        return Err(missing);
    }
    Ok(call_member(&session.payment.payee.agent, "commit_payment_as_payee", session.clone())?)
}

/// Has every witness of a session `start_payment` returned commit its record, all at once. Each
/// answers for itself: one already written says so (the app asks again while any is missing).
#[hdk_extern]
pub fn commit_on_witnesses(session: PaymentSession) -> ExternResult<Vec<ActionHash>> {
    let me = agent_info()?.agent_initial_pubkey;
    if *initiator(&session.payment) != me {
        return Err(refuse(ViolationCode::ForgedCounterparty, "only the session's initiator asks the witnesses to commit"));
    }
    Ok(call_members_at_once(&session_witnesses(&session)?, "commit_payment_as_witness", &session).into_iter().collect::<Result<_, _>>()?)
}

/// The payer's own commit of a session `start_payment` returned.
#[hdk_extern]
pub fn complete_payment(session: PaymentSession) -> ExternResult<ActionHash> {
    let me = agent_info()?.agent_initial_pubkey;
    if *initiator(&session.payment) != me {
        return Err(refuse(ViolationCode::ForgedCounterparty, "only the session's initiator completes it here"));
    }
    commit_countersigned(&session)
}

/// The session starts at the payment's own time, which validation checks. It is enzymatic: the
/// witnesses sign first, and their signatures cover the parties' chain tops in the request's bytes.
fn preflight_request(payment: &Payment, witnesses: &[AgentPubKey], tops: &AttestedTops<ActionHash>) -> ExternResult<PreflightRequest> {
    let entry_type: EntryType = EntryTypes::Payment(payment.clone()).try_into()?;
    let times = payment.session_times(PAYMENT_WINDOW_MS).map_err(|e| refuse(ViolationCode::SessionRefused, e))?;
    let signers = [witnesses, &payment.signing_parties()].concat();
    PreflightRequest::try_new(
        hash_entry(payment)?,
        signers.into_iter().map(|agent| (agent, vec![])).collect(),
        vec![],
        0,
        true,
        times,
        ActionBase::Create(CreateBase::new(entry_type)),
        tops_bytes(tops)?,
    )
    .map_err(|e| refuse(ViolationCode::SessionRefused, e))
}

// ---- the payee's side, called by the payer's conductor ----

/// The payee's current position, which the payer drafts the payment from. Given the payer's chain
/// top, the payee first makes sure it can read it: otherwise its validation of the session would
/// wait for the payer's latest actions once every chain is locked, possibly past the window, and
/// a payee that writes alone leaves a half-written payment. Refused, nothing is locked yet.
#[hdk_extern]
pub fn quote_receipt(payer_top: Option<ActionHash>) -> ExternResult<RemoteReply<Quote>> {
    Ok(payer_top_readable(payer_top).and_then(|()| quote()).and_then(|position| Ok(Quote { position, top: own_chain_head()? })).into())
}

fn payer_top_readable(payer_top: Option<ActionHash>) -> ExternResult<()> {
    match payer_top {
        Some(top) if get(top.clone(), GetOptions::network())?.is_none() => {
            Err(refuse(ViolationCode::NotSynced, "the payee's conductor has not yet received your latest actions; try again in a moment"))
        }
        _ => Ok(()),
    }
}

fn quote() -> ExternResult<Position> {
    let me = agent_info()?.agent_initial_pubkey;
    if member(&me, GetStrategy::Local)?.is_none() {
        return Err(refuse(ViolationCode::UnknownMember, "the payee has not joined this village"));
    }
    let position = read_my_position()?;
    if position.closed {
        return Err(refuse(ViolationCode::AccountClosed, "the payee has closed its account"));
    }
    Ok(position)
}

/// Locks the payee's chain for the session, once the payment is checked against its own state.
#[hdk_extern]
pub fn accept_payment(input: AcceptPaymentInput) -> ExternResult<RemoteReply<PreflightResponse>> {
    Ok(accept_as_payee(input).into())
}

fn accept_as_payee(input: AcceptPaymentInput) -> ExternResult<PreflightResponse> {
    let me = agent_info()?.agent_initial_pubkey;
    let payment = &input.payment;
    if payment.payee.agent != me {
        return Err(refuse(ViolationCode::ForgedCounterparty, "this payment is not addressed to this agent"));
    }
    let signers: Vec<AgentPubKey> = input.request.signing_agents.iter().map(|(a, _)| a.clone()).collect();
    let village = current_village()?;
    let quorum = witness_quorum(village.witnesses.len());
    if input.request.app_entry_hash != hash_entry(payment)? || signers.get(quorum..) != Some(&[payment.payer.agent.clone(), me.clone()][..]) {
        return Err(refuse(ViolationCode::ForgedCounterparty, "the session request does not match the payment"));
    }
    if !input.request.enzymatic || !distinct_village_witnesses(&signers[..quorum], &village) {
        return Err(refuse(ViolationCode::NoWitness, format!("a payment session is witnessed by {quorum} of the village's witnesses")));
    }
    // The witness attests this agent's chain top; it must be the real one, or validation refuses.
    let attested = attested_tops(&input.request).ok_or_else(|| refuse(ViolationCode::NoWitness, "the request carries no chain tops"))?;
    if attested.payee != own_chain_head()? {
        return Err(refuse(ViolationCode::StaleState, "the payee's ledger moved since the quote; try again"));
    }
    // A payer may not hold the payee's chain longer than an honest payment would.
    let times = &input.request.session_times;
    let window_ms = (times.end().as_micros() - times.start().as_micros()) / 1000;
    if window_ms > PAYMENT_WINDOW_MS as i64 {
        return Err(refuse(ViolationCode::SessionRefused, format!("a payment session may last at most {PAYMENT_WINDOW_MS} ms")));
    }
    if member(&payment.payer.agent, GetStrategy::Network)?.is_none() && village.role_of(&payment.payer.agent) == Role::Member {
        return Err(refuse(ViolationCode::UnknownMember, "the payer is not a member of this village"));
    }
    // The payer's side is not re-checked here: the payee's own validation judges the whole entry
    // when it commits, by the same rules every peer runs, and refuses it if the payer lied.
    let position = quote()?;
    let expected_before = aged_to(&position, payment.at, &village)?;
    if payment.payee.previous_payment != position.latest_payment || payment.payee.before != expected_before {
        return Err(refuse(ViolationCode::StaleState, "the payee's ledger moved since the quote; try again"));
    }
    accept(&input.request, payment)?.ok_or_else(released_orphaned_lock)
}

#[hdk_extern]
pub fn commit_payment_as_payee(session: PaymentSession) -> ExternResult<RemoteReply<ActionHash>> {
    let me = agent_info()?.agent_initial_pubkey;
    if session.payment.payee.agent != me {
        return Ok(Err(refuse(ViolationCode::ForgedCounterparty, "this payment is not addressed to this agent")).into());
    }
    if let Some(written) = written_here(&session)? {
        return Ok(Ok(written).into());
    }
    Ok(witness_reachable(&session).and_then(|()| early_enough_to_write_first(&session)).and_then(|()| commit_countersigned(&session)).into())
}

/// The payee writes first only in the first half of an honest payment's window (its first 5 s),
/// leaving the rest to the witness and the payer to write theirs: a side written alone is stuck
/// until Holochain abandons it. Asked later (its commit retried while the payer's actions were on
/// their way, a loaded machine) it writes nothing: a session nobody wrote ends cleanly and the
/// payer's app starts it again. Seen in a CI run before this check: the payer's conductor
/// abandoned, and the payee's chain then disagreed with its peers'.
fn early_enough_to_write_first(session: &PaymentSession) -> ExternResult<()> {
    // A session starts at its payment's time (the witness signs no other, validation accepts no other).
    let elapsed_ms = (sys_time()?.as_micros() - session.payment.at.as_micros()) / 1000;
    if elapsed_ms > PAYEE_WRITES_WITHIN_MS as i64 {
        return Err(refuse(
            ViolationCode::WindowClosing,
            format!("the payee's write was asked for {elapsed_ms} ms into the session, too late for the others to follow; nothing was written"),
        ));
    }
    Ok(())
}

/// Once written, the payee's side goes to the session's first witness (its enzyme) by one network push;
/// a push that fails leaves the payment written here but never complete, so the payee first checks
/// that its conductor reaches the witness. After a healed split it may not yet (seen: the payee
/// reached the payer but not the far half's witness); the payer's app asks again within the window.
fn witness_reachable(session: &PaymentSession) -> ExternResult<()> {
    let enzyme = session_witnesses(session)?.swap_remove(0);
    call_member::<(), ()>(&enzyme, "ping", ())
        .map_err(|e| refuse(ViolationCode::CounterpartyOffline, format!("the payee cannot reach the session's witness yet ({})", e.message)))
}
