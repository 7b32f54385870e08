use hdi::prelude::*;

/// A member leaving the village: written on its own chain at a zero balance; no payment naming
/// this account can follow it.
#[hdk_entry_helper]
#[derive(Clone, PartialEq, Eq)]
pub struct AccountClosure {
    pub member: AgentPubKey,
}
