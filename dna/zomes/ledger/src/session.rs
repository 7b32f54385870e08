//! A payment session's data and its writing, shared by every party: the session (the payment and
//! the signed preflight responses), who initiates and witnesses it, and committing it as the
//! countersigned entry. The parties' own steps are in `pay` (the payer, the payee), `witness` and
//! `voucher`; taking the chain's lock is `chain_lock`.
use crate::activity::own_chain_head;
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{witness_quorum, AttestedTops, ChainTop};
use ledger_integrity::{current_village, EntryTypes, Payment, PaymentKind, ViolationCode};

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct PaymentSession {
    pub payment: Payment,
    /// The signed preflight responses: the witnesses', the payer's and the payee's.
    pub responses: Vec<PreflightResponse>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct AcceptPaymentInput {
    pub payment: Payment,
    pub request: PreflightRequest,
}

/// Who runs a session and completes it: the payer, or for a redemption or a reclaim (whose payer
/// side takes no part) the payee.
pub fn initiator(payment: &Payment) -> &AgentPubKey {
    match payment.kind {
        PaymentKind::Redemption { .. } | PaymentKind::Reclaim { .. } => &payment.payee.agent,
        _ => &payment.payer.agent,
    }
}

/// The witnesses a session's request names before its parties (`check_witnessed`); the first is its enzyme.
pub fn session_witnesses(session: &PaymentSession) -> ExternResult<Vec<AgentPubKey>> {
    let quorum = witness_quorum(current_village()?.witnesses.len());
    let signers = session.responses.first().map(|r| &r.request.signing_agents).filter(|agents| agents.len() > quorum);
    let witnesses = signers.map(|agents| agents[..quorum].iter().map(|(a, _)| a.clone()).collect::<Vec<_>>());
    witnesses.ok_or_else(|| refuse(ViolationCode::NoWitness, "the session has no witnesses"))
}

/// The refusal a remote signer answers after releasing an orphaned lock (the caller sees the
/// release record's validation error instead, which `call_member` reads as this).
pub fn released_orphaned_lock() -> WasmError {
    refuse(ViolationCode::LockReleased, "the chain was still finishing its last payment; try again")
}

pub fn commit_countersigned(session: &PaymentSession) -> ExternResult<ActionHash> {
    let data = signed_session_data(session)?;
    fetch_signer_tops(&data)?;
    create_countersigned(data, &session.payment)
}

/// The countersigning data of `session`: every signer's response, for the payment it names.
pub fn signed_session_data(session: &PaymentSession) -> ExternResult<CounterSigningSessionData> {
    let mut responses = session.responses.clone();
    responses.sort_by_key(|r| *r.agent_state().agent_index());
    let data = CounterSigningSessionData::try_from_responses(responses, vec![]).map_err(|e| refuse(ViolationCode::SessionRefused, e))?;
    if data.preflight_request.app_entry_hash != hash_entry(&session.payment)? {
        return Err(refuse(ViolationCode::ForgedCounterparty, "the session was signed for a different payment"));
    }
    Ok(data)
}

/// How long one ask of the village's peers for a co-signer's chain top may take.
const SIGNER_TOP_FETCH_MS: u64 = 2_000;

/// Every other signer's chain top the session names, fetched into this conductor's store unless it
/// holds it already. Holochain's validation of this agent's countersigned commit reads each
/// signer's previous action, and a fetch made there asks the conductor's default number of peers
/// and waits out the 10 s request timeout when one of them has just stopped (seen in the crash
/// scenario: the witness's newest action, written 1.3 s earlier, had not reached the payer, whose
/// commit waited on the stopped other witness past the window; the payee and the witness had
/// written, and abandoning their sides cost their conductors the shared entry). Asked here of up
/// to five peers at once, the first to hold it answers; Holochain picks them among the peers that
/// hold the top, weighted by latency, so in a village of more than six conductors the signer itself
/// may not be asked. Not found: refused as `DepMissingFromDht`, before writing, and the app asks again.
pub fn fetch_signer_tops(data: &CounterSigningSessionData) -> ExternResult<()> {
    let me = agent_info()?.agent_initial_pubkey;
    let agents: Vec<&AgentPubKey> = data.signing_agents().collect();
    for (state, _) in data.responses() {
        let top = state.chain_top();
        if agents.get(*state.agent_index() as usize) == Some(&&me) || get(top.clone(), GetOptions::local())?.is_some() {
            continue;
        }
        let every_peer = GetOptions::network().with_remote_agent_count(MAX_REMOTE_AGENT_COUNT).with_timeout_ms(SIGNER_TOP_FETCH_MS);
        if get(top.clone(), every_peer).ok().flatten().is_none() {
            return Err(refuse(
                ViolationCode::NotSynced,
                format!("DepMissingFromDht: a co-signer's latest action {top} has not reached this conductor yet"),
            ));
        }
    }
    Ok(())
}

/// Commits `payment` as the countersigned entry of `session`.
pub fn create_countersigned(session: CounterSigningSessionData, payment: &Payment) -> ExternResult<ActionHash> {
    let typed = EntryTypes::Payment(payment.clone());
    let location = ScopedEntryDefIndex::try_from(&typed)?;
    let visibility = EntryVisibility::from(&typed);
    let entry = Entry::CounterSign(Box::new(session), payment.clone().try_into()?);
    HDK.with(|h| h.borrow().create(CreateInput::new(EntryDefLocation::from(location), visibility, entry, ChainTopOrdering::Strict)))
}

/// This agent's action for `session` when its chain already ends with it: the payer's app asks
/// again when a reply is lost on the way back, and must then hear that the payee wrote, or it
/// would leave the payee's side alone (the witness and the payer write only after the payee).
pub fn written_here(session: &PaymentSession) -> ExternResult<Option<ActionHash>> {
    let ChainTop { hash: head, seq } = own_chain_head()?;
    // By hash first (a query loads the whole chain in Holochain 0.7.1); by query when the store does
    // not give the head out (perhaps an unfinished session's withheld action, which the query reads).
    let at_head = match get(head.clone(), GetOptions::local())? {
        Some(record) => Some(record),
        None => query(ChainQueryFilter::new().sequence_range(ChainQueryFilterRange::ActionSeqRange(seq, seq)).include_entries(true))?.pop(),
    };
    let session_entry = hash_entry(&session.payment)?;
    Ok(at_head.is_some_and(|record| records_session(&record, &session_entry)).then_some(head))
}

/// Whether `record` is a signer's action of the session for the payment hashed `app_entry_hash`.
/// A session names its payment by the payment's own hash; the action on the chain names the whole
/// countersigned entry (session data and payment), a different hash.
pub fn records_session(record: &Record, app_entry_hash: &EntryHash) -> bool {
    matches!(record.entry().as_option(), Some(Entry::CounterSign(session, _)) if session.preflight_request.app_entry_hash == *app_entry_hash)
}

/// The chain tops a payer puts in a session request for the witness to attest.
pub fn tops_bytes(tops: &AttestedTops<ActionHash>) -> ExternResult<PreflightBytes> {
    Ok(PreflightBytes(holochain_serialized_bytes::encode(tops).map_err(|e| wasm_error!(e))?))
}
