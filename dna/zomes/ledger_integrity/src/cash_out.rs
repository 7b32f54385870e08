use hdi::prelude::*;
use ledger_rules::Units;

/// A member's request to cash out `amount`: it can settle once the village's waiting period has
/// passed since this entry was written. Numbered so each request settles at most once.
#[hdk_entry_helper]
#[derive(Clone, PartialEq, Eq)]
pub struct CashOutRequest {
    pub amount: Units,
    pub number: u32,
}
