//! A payment session cut short (a conductor killed or a machine cut off while the three were
//! committing). Holochain keeps the chain locked until it finds every signer's action for the
//! session; when nobody wrote it, it cannot decide alone and waits for the member. These calls give
//! the member's app the facts: after the session's window, an honest conductor never writes it, so
//! when every other signer says its chain does not hold the payment, abandoning it is safe, and
//! when one does hold it, Holochain completes it here once that signer's action is published.
use crate::orphaned_lock::release_orphaned_lock;
use crate::position::entry_type;
use crate::refuse;
use crate::remote::{call_member, RemoteReply};
use crate::session::{records_session, AcceptPaymentInput};
use hdk::prelude::*;
use ledger_integrity::{Payment, UnitEntryTypes, ViolationCode};

/// What this zome tells its member's apps.
#[derive(Serialize, Deserialize, Debug)]
#[serde(tag = "type")]
pub enum LedgerSignal {
    /// This chain is now locked for the session of `request`, whichever side this agent signs:
    /// the member's app keeps the session until its outcome is known, so that a restart in between
    /// cannot leave the lock for good (`release_unwritten_session`).
    SessionLocked { payment: Payment, request: PreflightRequest },
}

/// Tells the member's apps which session now locks this chain (`LedgerSignal::SessionLocked`).
pub fn announce_locked(request: &PreflightRequest, payment: &Payment) -> ExternResult<()> {
    emit_signal(LedgerSignal::SessionLocked { payment: payment.clone(), request: request.clone() })
}

/// Whether this agent's chain holds the payment whose entry hash is `entry_hash`.
#[hdk_extern]
pub fn holds_payment(entry_hash: EntryHash) -> ExternResult<RemoteReply<bool>> {
    Ok(chain_holds(&entry_hash).into())
}

fn chain_holds(app_entry_hash: &EntryHash) -> ExternResult<bool> {
    let payments = query(ChainQueryFilter::new().entry_type(entry_type(UnitEntryTypes::Payment)?).include_entries(true))?;
    Ok(payments.iter().any(|record| records_session(record, app_entry_hash)))
}

#[derive(Serialize, Deserialize, Debug)]
pub struct SignersInput {
    pub entry_hash: EntryHash,
    pub signers: Vec<AgentPubKey>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct SignerHolding {
    pub agent: AgentPubKey,
    /// None when the signer's conductor did not answer.
    pub holds: Option<bool>,
}

/// Asks each of the session's other signers whether its chain holds the payment.
#[hdk_extern]
pub fn signers_holding(input: SignersInput) -> ExternResult<Vec<SignerHolding>> {
    let me = agent_info()?.agent_initial_pubkey;
    input
        .signers
        .into_iter()
        .filter(|agent| *agent != me)
        .map(|agent| {
            let holds = call_member::<EntryHash, bool>(&agent, "holds_payment", input.entry_hash.clone()).ok();
            Ok(SignerHolding { agent, holds })
        })
        .collect()
}

/// Frees this chain from the lock of a session it accepted but never wrote, when its conductor
/// restarted in between. Holochain 0.7.1 rebuilds a restarted conductor's session from the chain's
/// newest countersigned entry; when that is an earlier, completed payment (the usual case), it tries
/// to resolve that one instead, fails forever, and the lock stays (`orphaned_lock` explains the
/// release). The member's app kept the session it was in, as payer, payee or witness
/// (`LedgerSignal::SessionLocked`); only this agent's own app may ask
/// (no grant). A session this chain wrote is never released: it completes once the others' actions
/// are found. The call fails with the release's refusal (`HolochainMessage::LockReleaseRefused`) whether or not that
/// lock was still there: a lock of any other session is left alone.
#[hdk_extern]
pub fn release_unwritten_session(input: AcceptPaymentInput) -> ExternResult<()> {
    let me = agent_info()?.agent_initial_pubkey;
    let (payment, request) = (&input.payment, &input.request);
    if !request.signing_agents.iter().any(|(agent, _)| *agent == me) || request.app_entry_hash != hash_entry(payment)? {
        return Err(refuse(ViolationCode::ForgedCounterparty, "this agent did not sign that session, or it was signed for another payment"));
    }
    if chain_holds(&request.app_entry_hash)? {
        return Err(refuse(ViolationCode::SessionCompleting, "this chain wrote that payment: it completes once the others' actions are found"));
    }
    release_orphaned_lock(request, payment)
}
