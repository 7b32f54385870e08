//! The ledger's coordinator zome: what a member's app calls. Every function refuses bad input with a
//! `[cc:<code>]` error before anything is written; the integrity zome re-checks everything anyway.
use hdk::prelude::*;

mod activity;
mod cash;
mod chain_lock;
mod closing;
mod error;
mod forks;
mod history;
mod holochain_messages;
mod interrupted;
mod ledger;
mod members;
mod offers;
mod orphaned_lock;
mod pay;
mod position;
mod remote;
mod session;
mod voucher;
mod witness;

pub use error::refuse;

/// Functions other members' conductors call on this one during a payment.
const REMOTE_FUNCTIONS: [&str; 7] =
    ["quote_receipt", "accept_payment", "commit_payment_as_payee", "ping", "witness_payment", "commit_payment_as_witness", "holds_payment"];

#[hdk_extern]
pub fn init() -> ExternResult<InitCallbackResult> {
    let zome = zome_info()?.name;
    let functions = REMOTE_FUNCTIONS.iter().map(|f| (zome.clone(), FunctionName::from(*f))).collect();
    create_cap_grant(CapGrant::new_zome_call_grant("remote-payment".into(), GrantConstraint::Unrestricted, GrantedFunctions::Listed(functions)))?;
    Ok(InitCallbackResult::Pass)
}

/// The running village's parameters.
#[hdk_extern]
pub fn village(_: ()) -> ExternResult<ledger_integrity::VillageProperties> {
    ledger_integrity::current_village()
}

/// This cell's agent key.
#[hdk_extern]
pub fn whoami(_: ()) -> ExternResult<AgentPubKey> {
    Ok(agent_info()?.agent_initial_pubkey)
}
