//! A payment session cut short (a conductor killed or a machine cut off while the three were
//! committing). Holochain keeps the chain locked until it finds every signer's action for the
//! session; when nobody wrote it, it cannot decide alone and waits for the member. These calls give
//! the member's app the facts: after the session's window, an honest conductor never writes it, so
//! when every other signer says its chain does not hold the payment, abandoning it is safe, and
//! when one does hold it, Holochain completes it here once that signer's action is published.
use crate::position::entry_type;
use crate::remote::{call_member, RemoteReply};
use hdk::prelude::*;
use ledger_integrity::UnitEntryTypes;

/// Whether this agent's chain holds the payment whose entry hash is `entry_hash`.
#[hdk_extern]
pub fn holds_payment(entry_hash: EntryHash) -> ExternResult<RemoteReply<bool>> {
    Ok(chain_holds(&entry_hash).into())
}

fn chain_holds(entry_hash: &EntryHash) -> ExternResult<bool> {
    let payments = query(ChainQueryFilter::new().entry_type(entry_type(UnitEntryTypes::Payment)?))?;
    Ok(payments.iter().any(|record| record.action().entry_hash() == Some(entry_hash)))
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
