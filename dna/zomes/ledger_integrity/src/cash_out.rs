use hdi::prelude::*;
use ledger_rules::{CashOutRequestFacts, Units};

/// A member's request to cash out `amount`: it can settle once the village's waiting period has
/// passed since this entry was written. Numbered so each request settles at most once.
#[hdk_entry_helper]
#[derive(Clone, PartialEq, Eq)]
pub struct CashOutRequest {
    pub amount: Units,
    pub number: u32,
    /// The member's latest payment when it wrote the request: the account the request must be
    /// covered by (validation walks the chain from the request back to it).
    pub previous_payment: Option<ActionHash>,
}

impl CashOutRequest {
    /// What the cash-out rule needs of a request: who wrote it, and when (the wait starts then).
    pub fn facts(&self, author: AgentPubKey, written_at: Timestamp) -> CashOutRequestFacts<AgentPubKey> {
        CashOutRequestFacts { author, amount: self.amount, number: self.number, at: written_at.as_micros() }
    }
}
