//! Taking this chain's countersigning lock for a session, once a quorum of witnesses has signed:
//! Holochain's `accept_countersigning_preflight_request`, with what this app does when Holochain
//! left a lock behind (`orphaned_lock`) or the chain moved meanwhile, and telling the member's apps
//! which session holds the chain (`interrupted`).
use crate::activity::own_chain_head;
use crate::error::guest_message;
use crate::holochain_messages::{holochain_says, HolochainMessage};
use crate::interrupted::announce_locked;
use crate::orphaned_lock::release_orphaned_lock;
use crate::position::{read_my_position, Position};
use crate::refuse;
use crate::session::PaymentSession;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{AttestedTops, ChainTop, PAYMENT_WINDOW_MS};
use ledger_integrity::{Payment, ViolationCode};

impl WitnessSigned {
    /// What a session-starting call returns when it released an orphaned lock instead of locking:
    /// never seen by its caller, whose call fails with the release record's refusal.
    pub fn unfinished(self) -> PaymentSession {
        PaymentSession { payment: self.payment, responses: self.witness_responses }
    }
}

/// A session a quorum of witnesses has signed: the payment, the tops they attested, the position
/// the initiator drafted from, the request and the witnesses' responses.
pub struct WitnessSigned {
    pub payment: Payment,
    pub tops: AttestedTops<ActionHash>,
    pub drafted_from: Position,
    pub request: PreflightRequest,
    pub witness_responses: Vec<PreflightResponse>,
}

/// Locks this agent's chain for the session. Another payment may have completed between reading
/// our position and locking: the entry would then name a stale previous payment, which every
/// peer's validation refuses, so the position and chain top are read again under the lock.
/// `None` when an orphaned lock was released instead (`accept`): the session-starting zome function
/// must then return normally, and its caller gets the release's `lock_released`.
pub fn lock_my_chain(signed: &WitnessSigned, my_attested_top: &ChainTop<ActionHash>) -> ExternResult<Option<PreflightResponse>> {
    let Some(my_response) = accept(&signed.request, &signed.payment).map_err(held_until_window)? else {
        return Ok(None);
    };
    let locked_at = my_response.agent_state();
    if read_my_position()? != signed.drafted_from || (locked_at.chain_top(), *locked_at.action_seq()) != (&my_attested_top.hash, my_attested_top.seq)
    {
        return Err(held_until_window(refuse(ViolationCode::StaleState, "your ledger moved while preparing this payment; try again")));
    }
    Ok(Some(my_response))
}

/// A failure once chains are locked says how long they stay so.
pub fn held_until_window(e: WasmError) -> WasmError {
    wasm_error!(WasmErrorInner::Guest(format!(
        "{} (the chains stay locked until this payment's {} s window closes)",
        guest_message(&e),
        PAYMENT_WINDOW_MS / 1000
    )))
}

/// Accepts a session request: this agent's signed preflight response, locking its chain, and tells
/// the member's apps which session locks it (`interrupted::announce_locked`). `None`
/// when the chain was locked but must not stay so, and the record that releases it is written
/// (`orphaned_lock`); the calling zome function must then return normally so the record is
/// validated (and refused, which frees the chain), and its caller hears `lock_released`:
/// - Holochain left the chain locked with no session to own it;
/// - the lock was taken at a later chain top than the one this call checked: another session of
///   this agent completed while the call ran (a witness signs for many pairs at once). The session
///   could never be written: this chain's next action would be older than its top (seen in
///   `npm run bench:pairs`: every signer's commit refused, all three chains held for the window).
pub fn accept(request: &PreflightRequest, payment: &Payment) -> ExternResult<Option<PreflightResponse>> {
    // The head this call's checks read (Holochain fixes it when the call starts).
    let checked = own_chain_head()?;
    let acceptance = accept_countersigning_preflight_request(request.clone()).map_err(|e| {
        if holochain_says(HolochainMessage::ChainLocked, &format!("{e:?}")) {
            in_progress()
        } else {
            e
        }
    })?;
    match acceptance {
        PreflightRequestAcceptance::Accepted(response) => {
            let locked = response.agent_state();
            if (locked.chain_top(), *locked.action_seq()) != (&checked.hash, checked.seq) {
                release_orphaned_lock(request, payment)?;
                return Ok(None);
            }
            announce_locked(request, payment)?;
            Ok(Some(response))
        }
        PreflightRequestAcceptance::AnotherSessionIsInProgress => {
            release_orphaned_lock(request, payment)?;
            Ok(None)
        }
        other => Err(refuse(ViolationCode::SessionRefused, format!("{other:?}"))),
    }
}

fn in_progress() -> WasmError {
    refuse(ViolationCode::PaymentInProgress, "another payment is in progress on this chain; try again when it ends")
}
