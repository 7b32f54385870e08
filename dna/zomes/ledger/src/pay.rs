//! A payment is one countersigned entry committed on both parties' chains. The payer's conductor
//! runs the session: `start_payment` reads the payee's position, locks the payer's chain and has
//! the payee lock its own; the payer's client then has both sides commit (`commit_on_payee`,
//! `complete_payment`), retrying while a conductor still waits for the other's latest actions.
//! Holochain then gathers both signatures and signals completion.
use crate::error::violation;
use crate::members::{list_members, member, Member};
use crate::position::{read_my_position, Position};
use crate::refuse;
use crate::remote::{call_member, guest_message, RemoteReply};
use hdk::prelude::*;
use ledger_integrity::{EntryTypes, PartyState, Payment, Units, VillageProperties};
use ledger_integrity::ledger_rules::{check_amount, check_payment_entry};

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

#[hdk_extern]
pub fn start_payment(input: PayInput) -> ExternResult<PaymentSession> {
    let me = agent_info()?.agent_initial_pubkey;
    check_amount(input.amount).map_err(violation)?;
    if input.payee == me {
        return Err(refuse("self_payment", "you cannot pay yourself"));
    }
    if input.memo.chars().count() > MAX_MEMO_CHARS {
        return Err(refuse("invalid_memo", format!("a memo is at most {MAX_MEMO_CHARS} characters")));
    }
    let village = VillageProperties::current()?;
    let limits = village.default_limits();
    let members = list_members(GetStrategy::Network)?;
    if !members.iter().any(|m| m.agent == me) {
        return Err(refuse("not_a_member", "join the village before paying"));
    }
    if !members.iter().any(|m| m.agent == input.payee) {
        return Err(refuse("unknown_member", "the payee is not a member of this village"));
    }
    // The floor is checked again with the whole entry below; checking it first asks nobody anything.
    let mine = read_my_position()?;
    let payer_after = mine.balance.checked_sub(input.amount).ok_or_else(|| refuse("overflow", "balance out of range"))?;
    if payer_after < limits.floor {
        return Err(refuse("over_floor", format!("this payment would take you to {payer_after}, below your floor of {}", limits.floor)));
    }
    ensure_witness_online(&members, &me, &input.payee)?;
    let theirs: Position = call_member(&input.payee, "quote_receipt", input.amount)?;
    let payment = Payment {
        amount: input.amount,
        payer: party(me.clone(), &mine, -input.amount),
        payee: party(input.payee.clone(), &theirs, input.amount),
        memo: input.memo,
    };
    check_payment_entry(&payment.facts(), &[me.clone(), input.payee.clone()], limits, limits).map_err(violation)?;

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
        return Err(locked(refuse("stale_state", "your ledger moved while preparing this payment; try again")));
    }
    let their_response: PreflightResponse =
        call_member(&input.payee, "accept_payment", AcceptPaymentInput { payment: payment.clone(), request }).map_err(locked)?;
    Ok(PaymentSession { payment, responses: vec![my_response, their_response] })
}

/// Has the payee commit its side of a session `start_payment` returned. Until the payee's
/// conductor holds the payer's latest actions this fails with `DepMissingFromDht`; the client
/// retries (wasm cannot wait), within the session window.
#[hdk_extern]
pub fn commit_on_payee(session: PaymentSession) -> ExternResult<ActionHash> {
    let me = agent_info()?.agent_initial_pubkey;
    if session.payment.payer.agent != me {
        return Err(refuse("forged_counterparty", "only the payer asks the payee to commit"));
    }
    call_member(&session.payment.payee.agent, "commit_payment_as_payee", session.clone())
}

/// The payer's own commit of a session `start_payment` returned.
#[hdk_extern]
pub fn complete_payment(session: PaymentSession) -> ExternResult<ActionHash> {
    let me = agent_info()?.agent_initial_pubkey;
    if session.payment.payer.agent != me {
        return Err(refuse("forged_counterparty", "only the payer completes its side of a payment"));
    }
    commit_countersigned(&session)
}

fn party(agent: AgentPubKey, position: &Position, change: Units) -> PartyState {
    PartyState {
        agent,
        previous_payment: position.latest_payment.clone(),
        balance_before: position.balance,
        balance_after: position.balance.saturating_add(change),
    }
}

/// Countersigning completes only when a peer other than the two parties is online to gather the
/// signatures (measured: 0 of 15 sessions with only the parties). Fail fast instead of locking.
fn ensure_witness_online(members: &[Member], me: &AgentPubKey, payee: &AgentPubKey) -> ExternResult<()> {
    let candidates = members
        .iter()
        .filter(|m| &m.agent != me && &m.agent != payee)
        .take(MAX_WITNESS_PINGS);
    for candidate in candidates {
        if call_member::<(), ()>(&candidate.agent, "ping", ()).is_ok() {
            return Ok(());
        }
    }
    Err(refuse("no_witness_online", "a payment needs a third member online to witness it, and none answered"))
}

fn preflight_request(payment: &Payment) -> ExternResult<PreflightRequest> {
    let entry_type: EntryType = EntryTypes::Payment(payment.clone()).try_into()?;
    PreflightRequest::try_new(
        hash_entry(payment)?,
        vec![(payment.payer.agent.clone(), vec![]), (payment.payee.agent.clone(), vec![])],
        vec![],
        0,
        false,
        session_times_from_millis(PAYMENT_WINDOW_MS)?,
        ActionBase::Create(CreateBase::new(entry_type)),
        PreflightBytes(vec![]),
    )
    .map_err(|e| refuse("session_refused", e))
}

fn accept(request: PreflightRequest) -> ExternResult<PreflightResponse> {
    let in_progress = || refuse("payment_in_progress", "another payment is in progress on this chain; try again when it ends");
    let acceptance = accept_countersigning_preflight_request(request)
        .map_err(|e| if format!("{e:?}").contains("ChainLocked") { in_progress() } else { e })?;
    match acceptance {
        PreflightRequestAcceptance::Accepted(response) => Ok(response),
        PreflightRequestAcceptance::AnotherSessionIsInProgress => Err(in_progress()),
        other => Err(refuse("session_refused", format!("{other:?}"))),
    }
}

fn commit_countersigned(session: &PaymentSession) -> ExternResult<ActionHash> {
    let typed = EntryTypes::Payment(session.payment.clone());
    let location = ScopedEntryDefIndex::try_from(&typed)?;
    let visibility = EntryVisibility::from(&typed);
    let mut responses = session.responses.clone();
    responses.sort_by_key(|r| *r.agent_state().agent_index());
    let data = CounterSigningSessionData::try_from_responses(responses, vec![]).map_err(|e| refuse("session_refused", e))?;
    if data.preflight_request.app_entry_hash != hash_entry(&session.payment)? {
        return Err(refuse("forged_counterparty", "the session was signed for a different payment"));
    }
    let entry = Entry::CounterSign(Box::new(data), session.payment.clone().try_into()?);
    HDK.with(|h| {
        h.borrow().create(CreateInput::new(EntryDefLocation::from(location), visibility, entry, ChainTopOrdering::Strict))
    })
}

// ---- the payee's side, called by the payer's conductor ----

/// The payee's current position, after checking it can receive `amount`.
#[hdk_extern]
pub fn quote_receipt(amount: Units) -> ExternResult<RemoteReply<Position>> {
    Ok(quote(amount).into())
}

fn quote(amount: Units) -> ExternResult<Position> {
    let me = agent_info()?.agent_initial_pubkey;
    check_amount(amount).map_err(violation)?;
    if member(&me, GetStrategy::Local)?.is_none() {
        return Err(refuse("unknown_member", "the payee has not joined this village"));
    }
    let position = read_my_position()?;
    let ceiling = VillageProperties::current()?.default_limits().ceiling;
    let after = position.balance.checked_add(amount).ok_or_else(|| refuse("overflow", "balance out of range"))?;
    if after > ceiling {
        return Err(refuse("over_ceiling", format!("the payee would end at {after}, above its ceiling of {ceiling}")));
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
        return Err(refuse("forged_counterparty", "this payment is not addressed to this agent"));
    }
    let signers: Vec<AgentPubKey> = input.request.signing_agents.iter().map(|(a, _)| a.clone()).collect();
    if input.request.app_entry_hash != hash_entry(payment)? || signers != [payment.payer.agent.clone(), me.clone()] {
        return Err(refuse("forged_counterparty", "the session request does not match the payment"));
    }
    // A payer may not hold the payee's chain longer than an honest payment would.
    let times = &input.request.session_times;
    let window_ms = (times.end().as_micros() - times.start().as_micros()) / 1000;
    if window_ms > PAYMENT_WINDOW_MS as i64 {
        return Err(refuse("session_refused", format!("a payment session may last at most {PAYMENT_WINDOW_MS} ms")));
    }
    // The payer's side is not re-checked here: the payee's own validation judges the whole entry
    // when it commits, by the same rules every peer runs, and refuses it if the payer lied.
    let position = read_my_position()?;
    if payment.payee.previous_payment != position.latest_payment || payment.payee.balance_before != position.balance {
        return Err(refuse("stale_state", "the payee's ledger moved since the quote; try again"));
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
