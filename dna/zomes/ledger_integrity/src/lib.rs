//! The ledger's integrity zome: entry and link types, and the `validate` callback every peer runs.
//! The rules themselves live in the `ledger_rules` crate; this zome gathers their inputs.
use hdi::prelude::*;

mod member;
mod payment;
mod validation;
mod village;

pub use ledger_rules::{self, Units, Violation, ViolationCode, MAX_AMOUNT};
pub use member::{members_anchor, MAX_MEMBER_NAME_CHARS};
pub use payment::{PartyState, Payment};
pub use village::VillageProperties;

#[derive(Serialize, Deserialize)]
#[serde(tag = "type")]
#[hdk_entry_types]
#[unit_enum(UnitEntryTypes)]
pub enum EntryTypes {
    /// A countersigned transfer between two members; the same entry sits on both parties' chains.
    Payment(Payment),
}

#[derive(Serialize, Deserialize)]
#[hdk_link_types]
pub enum LinkTypes {
    /// From the village's members anchor to a member's agent key; the tag holds the member's name.
    VillageMember,
}

#[hdk_extern]
pub fn validate(op: Op) -> ExternResult<ValidateCallbackResult> {
    validation::validate_op(op)
}
