//! BENCHMARK ONLY: the floor probe's integrity zome. One tiny entry type and no rules at all, so
//! a countersigning session of it costs what Holochain itself needs and nothing of ours
//! (`scripts/bench-floor.ts`). Never part of a village's DNA.
use hdi::prelude::*;

/// The smallest entry the probe's parties countersign.
#[hdk_entry_helper]
#[derive(Clone, PartialEq, Eq)]
pub struct Mark {
    pub n: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "type")]
#[hdk_entry_types]
#[unit_enum(UnitEntryTypes)]
pub enum EntryTypes {
    Mark(Mark),
}

/// Every op is valid: the probe measures Holochain's work, not a ledger's.
#[hdk_extern]
pub fn validate(_op: Op) -> ExternResult<ValidateCallbackResult> {
    Ok(ValidateCallbackResult::Valid)
}
