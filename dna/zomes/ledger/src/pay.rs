//! A payment is one countersigned entry committed on both parties' chains. The payer's conductor
//! runs the session: `start_payment` drafts the entry from both parties' positions (aged to the
//! session's start, by the same `expected_after` rule validation uses), locks the payer's chain and
//! has the payee lock its own; the payer's client then has both sides commit (`commit_on_payee`,
//! `complete_payment`), retrying while a conductor still waits for the other's latest actions.
//! Holochain then gathers both signatures and signals completion.
use crate::error::violation;
use crate::ledger::read_village_ledger;
use crate::members::{list_members, member, Member};
use crate::position::{aged_to, read_my_position, Position};
use crate::refuse;
use crate::remote::{call_member, guest_message, RemoteReply};
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{cash_out_fee, check_amount, check_cash_out, check_payment_entry, check_purchase, expected_after, Role};
use ledger_integrity::ViolationCode;
use ledger_integrity::{current_village, CashOutRequest, EntryTypes, Offer, PartyState, Payment, PaymentKind, Units, VillageProperties};

/// How long the two chains stay locked if a session never completes.
pub const PAYMENT_WINDOW_MS: u64 = 15_000;
pub const MAX_MEMO_CHARS: usize = 280;
/// Members asked, in turn, whether they are online to witness a payment.
const MAX_WITNESS_PINGS: usize = 3;

#[derive(Serialize, Deserialize, Debug)]
pub struct PayInput {
    pub payee: AgentPubKey,
    pub amount: Units,
    pub memo: String,
    /// A trade when absent. A cash-out's fee is the village's, whatever the input says.
    #[serde(default = "trade")]
    pub kind: PaymentKind,
}

fn trade() -> PaymentKind {
    PaymentKind::Trade
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct PaymentSession {
    pub payment: Payment,
    /// Both parties' signed preflight responses, payer first.
    pub responses: Vec<PreflightResponse>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct AcceptPaymentInput {
    pub payment: Payment,
    pub request: PreflightRequest,
}

/// The entry an honest payment would commit, without locking anything and without the checks
/// against other records (`check_kind`). Tests hand drafts, altered, to the dishonest `forger` zome.
#[hdk_extern]
pub fn draft_payment(input: PayInput) -> ExternResult<Payment> {
    Ok(draft(input)?.0)
}

/// Drafts the payment and returns it with the payer's position it was drafted from.
fn draft(input: PayInput) -> ExternResult<(Payment, Position)> {
    let me = agent_info()?.agent_initial_pubkey;
    check_amount(input.amount).map_err(violation)?;
    if input.payee == me {
        return Err(refuse(ViolationCode::SelfPayment, "you cannot pay yourself"));
    }
    if input.memo.chars().count() > MAX_MEMO_CHARS {
        return Err(refuse(ViolationCode::InvalidText, format!("a memo is at most {MAX_MEMO_CHARS} characters")));
    }
    let village = current_village()?;
    let members = list_members(GetStrategy::Network)?;
    if !members.iter().any(|m| m.agent == me) {
        return Err(refuse(ViolationCode::NotAMember, "join the village before paying"));
    }
    if !members.iter().any(|m| m.agent == input.payee) {
        return Err(refuse(ViolationCode::UnknownMember, "the payee is not a member of this village"));
    }
    let mine = read_my_position()?;
    if mine.closed {
        return Err(refuse(ViolationCode::AccountClosed, "your account is closed"));
    }
    ensure_witness_online(&members, &me, &input.payee)?;
    let theirs: Position = call_member(&input.payee, "quote_receipt", ())?;
    let kind = match input.kind {
        PaymentKind::CashOut { request, .. } => PaymentKind::CashOut { request, fee: cash_out_fee(input.amount, village.cash_out) },
        kind => kind,
    };
    let now = sys_time()?;
    let (payer_before, payee_before) = (aged_to(&mine, now, &village)?, aged_to(&theirs, now, &village)?);
    let (payer_after, payee_after) =
        expected_after(input.amount, &kind, (&me, &payer_before), (&input.payee, &payee_before), &village).map_err(violation)?;
    let floor = village.limits_for(&payer_before).floor;
    if village.role_of(&me) == Role::Member && payer_after.balance < floor.min(payer_before.balance) {
        return Err(refuse(ViolationCode::OverFloor, format!("this payment would take you to {}, below your floor of {floor}", payer_after.balance)));
    }
    let payment = Payment {
        amount: input.amount,
        kind,
        at: now,
        payer: PartyState { agent: me.clone(), previous_payment: mine.latest_payment.clone(), before: payer_before, after: payer_after },
        payee: PartyState { agent: input.payee.clone(), previous_payment: theirs.latest_payment.clone(), before: payee_before, after: payee_after },
        memo: input.memo,
    };
    check_payment_entry(&payment.facts(), &[me, input.payee], &village).map_err(violation)?;
    Ok((payment, mine))
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
        // Validation cannot see a fund's balance (a sum over every chain); the treasury's own app
        // reads it and does not spend what the fund does not hold.
        PaymentKind::TreasurySpend { fund } => {
            let held = read_village_ledger()?.funds.get(*fund as usize).map_or(0, |f| f.balance);
            if payment.amount > held {
                return Err(refuse(ViolationCode::FundShort, format!("the fund holds {held}, less than the {} to spend", payment.amount)));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[hdk_extern]
pub fn start_payment(input: PayInput) -> ExternResult<PaymentSession> {
    let payee = input.payee.clone();
    let (payment, mine) = draft(input)?;
    check_kind(&payment, &current_village()?)?;
    let request = preflight_request(&payment)?;
    let my_response = accept(request.clone())?;
    let locked = |e: WasmError| {
        wasm_error!(WasmErrorInner::Guest(format!(
            "{} (your chain stays locked until this payment's {} s window closes)",
            guest_message(&e),
            PAYMENT_WINDOW_MS / 1000
        )))
    };
    // Another payment may have completed between reading our position and locking the chain: the
    // entry would then name a stale previous payment, which every peer's validation refuses.
    if read_my_position()? != mine {
        return Err(locked(refuse(ViolationCode::StaleState, "your ledger moved while preparing this payment; try again")));
    }
    let their_response: PreflightResponse =
        call_member(&payee, "accept_payment", AcceptPaymentInput { payment: payment.clone(), request }).map_err(locked)?;
    Ok(PaymentSession { payment, responses: vec![my_response, their_response] })
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
    call_member(&session.payment.payee.agent, "commit_payment_as_payee", session.clone())
}

/// The payer's own commit of a session `start_payment` returned.
#[hdk_extern]
pub fn complete_payment(session: PaymentSession) -> ExternResult<ActionHash> {
    let me = agent_info()?.agent_initial_pubkey;
    if session.payment.payer.agent != me {
        return Err(refuse(ViolationCode::ForgedCounterparty, "only the payer completes its side of a payment"));
    }
    commit_countersigned(&session)
}

/// Countersigning completes only when a peer other than the two parties is online to gather the
/// signatures (measured: 0 of 15 sessions with only the parties). Fail fast instead of locking.
fn ensure_witness_online(members: &[Member], me: &AgentPubKey, payee: &AgentPubKey) -> ExternResult<()> {
    let candidates = members.iter().filter(|m| &m.agent != me && &m.agent != payee).take(MAX_WITNESS_PINGS);
    for candidate in candidates {
        if call_member::<(), ()>(&candidate.agent, "ping", ()).is_ok() {
            return Ok(());
        }
    }
    Err(refuse(ViolationCode::NoWitnessOnline, "a payment needs a third member online to witness it, and none answered"))
}

/// The session starts at the payment's own time, which validation checks.
fn preflight_request(payment: &Payment) -> ExternResult<PreflightRequest> {
    let entry_type: EntryType = EntryTypes::Payment(payment.clone()).try_into()?;
    let times = payment.session_times(PAYMENT_WINDOW_MS).map_err(|e| refuse(ViolationCode::SessionRefused, e))?;
    PreflightRequest::try_new(
        hash_entry(payment)?,
        vec![(payment.payer.agent.clone(), vec![]), (payment.payee.agent.clone(), vec![])],
        vec![],
        0,
        false,
        times,
        ActionBase::Create(CreateBase::new(entry_type)),
        PreflightBytes(vec![]),
    )
    .map_err(|e| refuse(ViolationCode::SessionRefused, e))
}

fn accept(request: PreflightRequest) -> ExternResult<PreflightResponse> {
    let in_progress = || refuse(ViolationCode::PaymentInProgress, "another payment is in progress on this chain; try again when it ends");
    let acceptance =
        accept_countersigning_preflight_request(request).map_err(|e| if format!("{e:?}").contains("ChainLocked") { in_progress() } else { e })?;
    match acceptance {
        PreflightRequestAcceptance::Accepted(response) => Ok(response),
        PreflightRequestAcceptance::AnotherSessionIsInProgress => Err(in_progress()),
        other => Err(refuse(ViolationCode::SessionRefused, format!("{other:?}"))),
    }
}

fn commit_countersigned(session: &PaymentSession) -> ExternResult<ActionHash> {
    let typed = EntryTypes::Payment(session.payment.clone());
    let location = ScopedEntryDefIndex::try_from(&typed)?;
    let visibility = EntryVisibility::from(&typed);
    let mut responses = session.responses.clone();
    responses.sort_by_key(|r| *r.agent_state().agent_index());
    let data = CounterSigningSessionData::try_from_responses(responses, vec![]).map_err(|e| refuse(ViolationCode::SessionRefused, e))?;
    if data.preflight_request.app_entry_hash != hash_entry(&session.payment)? {
        return Err(refuse(ViolationCode::ForgedCounterparty, "the session was signed for a different payment"));
    }
    let entry = Entry::CounterSign(Box::new(data), session.payment.clone().try_into()?);
    HDK.with(|h| h.borrow().create(CreateInput::new(EntryDefLocation::from(location), visibility, entry, ChainTopOrdering::Strict)))
}

// ---- the payee's side, called by the payer's conductor ----

/// The payee's current position, which the payer drafts the payment from.
#[hdk_extern]
pub fn quote_receipt(_: ()) -> ExternResult<RemoteReply<Position>> {
    Ok(quote().into())
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
    if input.request.app_entry_hash != hash_entry(payment)? || signers != [payment.payer.agent.clone(), me.clone()] {
        return Err(refuse(ViolationCode::ForgedCounterparty, "the session request does not match the payment"));
    }
    // A payer may not hold the payee's chain longer than an honest payment would.
    let times = &input.request.session_times;
    let window_ms = (times.end().as_micros() - times.start().as_micros()) / 1000;
    if window_ms > PAYMENT_WINDOW_MS as i64 {
        return Err(refuse(ViolationCode::SessionRefused, format!("a payment session may last at most {PAYMENT_WINDOW_MS} ms")));
    }
    // The payer's side is not re-checked here: the payee's own validation judges the whole entry
    // when it commits, by the same rules every peer runs, and refuses it if the payer lied.
    let position = quote()?;
    let expected_before = aged_to(&position, payment.at, &current_village()?)?;
    if payment.payee.previous_payment != position.latest_payment || payment.payee.before != expected_before {
        return Err(refuse(ViolationCode::StaleState, "the payee's ledger moved since the quote; try again"));
    }
    accept(input.request)
}

#[hdk_extern]
pub fn commit_payment_as_payee(session: PaymentSession) -> ExternResult<RemoteReply<ActionHash>> {
    let me = agent_info()?.agent_initial_pubkey;
    if session.payment.payee.agent != me {
        return Ok(RemoteReply::Refused("[cc:forged_counterparty] this payment is not addressed to this agent".into()));
    }
    Ok(commit_countersigned(&session).into())
}
