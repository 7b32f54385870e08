//! A chain lock Holochain 0.7.1 can leave behind, and how it is released.
//!
//! `accept_countersigning_preflight_request` takes the chain lock first, then registers the session
//! in the conductor's countersigning workspace. Just after a session completes, its lock is already
//! released but the workspace still holds it for a moment; a request accepted in that moment takes
//! the lock, fails to register, and is answered `AnotherSessionIsInProgress` with the lock still
//! taken. No workflow owns that lock (its session is neither in the workspace nor on the chain), so
//! the chain stays locked for good. Seen in a village's ledger scenario: two pairs paid through one
//! witness at once, and the witness refused every payment after that.
//!
//! One path releases a lock by its session: a countersigned commit for that session that fails
//! validation, in a zome call that itself succeeded (`call_zome_workflow` then unlocks the chain when
//! the lock's subject is the failed entry's session). So the accepting call writes a record of the
//! orphaned session that can never validate (no other signer signed it) and returns normally; the
//! call then fails with that validation error, which callers read as `lock_released`, and the
//! chain is free. Nothing reaches the chain: a commit that fails validation is never written.
//!
//! The same release frees a lock taken at a chain top other than the one the accepting call
//! checked (`pay::accept`). That session stays registered until its window closes, so this agent
//! answers `payment_in_progress` until then, as for any session it holds.
use crate::activity::own_chain_head;
use crate::session::create_countersigned;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::ChainTop;
use ledger_integrity::Payment;

/// Writes, in this call's scratch, the record that releases a lock taken for `request`.
pub fn release_orphaned_lock(request: &PreflightRequest, payment: &Payment) -> ExternResult<()> {
    let ChainTop { hash: head, seq } = own_chain_head()?;
    // Every signer's state names this chain's head: the entry's action (ours) follows it, and the
    // signatures are empty, so sys validation refuses the record before any app rule runs.
    let unsigned =
        (0..request.signing_agents.len()).map(|index| (CounterSigningAgentState::new(index as u8, head.clone(), seq), Signature([0; 64]))).collect();
    let session =
        CounterSigningSessionData::try_new(request.clone(), unsigned, vec![]).map_err(|e| wasm_error!(WasmErrorInner::Guest(e.to_string())))?;
    create_countersigned(session, payment)?;
    Ok(())
}
