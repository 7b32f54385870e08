//! BENCHMARK ONLY: the floor probe's coordinator. A bare countersigning session of a `Mark`, each
//! step a zome call the benchmark makes on the signer's own conductor: the first signer drafts
//! the request, every signer accepts it (locking its chain), every signer commits. What a payment
//! costs above this is the ledger's own work (`scripts/bench-floor.ts`).
use floor_integrity::{EntryTypes, Mark, UnitEntryTypes};
use hdk::prelude::*;

/// How long a probe session stays open.
const SESSION_WINDOW_MS: u64 = 30_000;

/// The baseline, as in the ledger's benchmark: a plain single-agent create that returns at once.
#[hdk_extern]
pub fn create_and_return(n: u32) -> ExternResult<ActionHash> {
    create_cap_grant(CapGrant::new_zome_call_grant(
        format!("floor-{n}"),
        GrantConstraint::Transferable { secret: CapSecret::from([0u8; 64]) },
        GrantedFunctions::Listed(Default::default()),
    ))
}

#[derive(Serialize, Deserialize, Debug)]
pub struct SessionDraft {
    /// The signers in order; the first gathers the signatures (an enzymatic session, as a payment's
    /// witness does).
    pub signers: Vec<AgentPubKey>,
    pub n: u32,
}

/// The session request for `Mark { n }`, signed by `signers`.
#[hdk_extern]
pub fn request_session(draft: SessionDraft) -> ExternResult<PreflightRequest> {
    let start = sys_time()?;
    let end = (start + std::time::Duration::from_millis(SESSION_WINDOW_MS)).map_err(|e| fail(&e.to_string()))?;
    let times = CounterSigningSessionTimes::try_new(start, end).map_err(|e| fail(&e.to_string()))?;
    PreflightRequest::try_new(
        hash_entry(Mark { n: draft.n })?,
        draft.signers.into_iter().map(|agent| (agent, vec![])).collect(),
        vec![],
        0,
        true,
        times,
        ActionBase::Create(CreateBase::new(EntryType::try_from(UnitEntryTypes::Mark)?)),
        PreflightBytes(vec![]),
    )
    .map_err(|e| fail(&e.to_string()))
}

/// Accepts `request`: this signer's chain is locked for the session and its response signed.
#[hdk_extern]
pub fn accept(request: PreflightRequest) -> ExternResult<PreflightResponse> {
    match accept_countersigning_preflight_request(request)? {
        PreflightRequestAcceptance::Accepted(response) => Ok(response),
        other => Err(fail(&format!("{other:?}"))),
    }
}

#[derive(Serialize, Deserialize, Debug)]
pub struct SessionCommit {
    pub responses: Vec<PreflightResponse>,
    pub n: u32,
}

/// Writes this signer's countersigned `Mark { n }` with every signer's response.
#[hdk_extern]
pub fn commit(input: SessionCommit) -> ExternResult<ActionHash> {
    let mut responses = input.responses;
    responses.sort_by_key(|r| *r.agent_state().agent_index());
    let session = CounterSigningSessionData::try_from_responses(responses, vec![]).map_err(|e| fail(&e.to_string()))?;
    let mark = Mark { n: input.n };
    let typed = EntryTypes::Mark(mark.clone());
    let location = ScopedEntryDefIndex::try_from(&typed)?;
    let visibility = EntryVisibility::from(&typed);
    let entry = Entry::CounterSign(Box::new(session), mark.try_into()?);
    HDK.with(|h| h.borrow().create(CreateInput::new(EntryDefLocation::from(location), visibility, entry, ChainTopOrdering::Strict)))
}

fn fail(message: &str) -> WasmError {
    wasm_error!(WasmErrorInner::Guest(message.to_string()))
}
