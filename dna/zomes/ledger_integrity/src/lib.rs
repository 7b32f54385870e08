//! The ledger's integrity zome: entry and link types, and the `validate` callback every peer runs.
//! The rules themselves live in the `ledger_rules` crate; this zome gathers their inputs.
use hdi::prelude::*;

mod cash_out;
mod closure;
mod member;
mod offer;
mod payment;
mod validation;
mod village;

pub use cash_out::CashOutRequest;
pub use closure::AccountClosure;
pub use ledger_rules::{self, Account, Kind, StewardshipWork, Units, Violation, ViolationCode, MAX_AMOUNT};
pub use member::{members_anchor, MAX_MEMBER_NAME_CHARS};
pub use offer::{offers_anchor, Offer, MAX_OFFER_TITLE_CHARS};
pub use payment::{PartyState, Payment, PaymentKind};
pub use village::{current_village, VillageProperties};

#[derive(Serialize, Deserialize)]
#[serde(tag = "type")]
#[hdk_entry_types]
#[unit_enum(UnitEntryTypes)]
pub enum EntryTypes {
    /// A countersigned transfer between two accounts; the same entry sits on both parties' chains.
    Payment(Payment),
    /// A co-op's published price with its labour / ecological / care breakdown.
    Offer(Offer),
    /// A member's request to take credit out as cash, settled after the waiting period.
    CashOutRequest(CashOutRequest),
    /// A member leaving at a zero balance.
    AccountClosure(AccountClosure),
}

#[derive(Serialize, Deserialize)]
#[hdk_link_types]
pub enum LinkTypes {
    /// From the village's members anchor to a member's agent key; the tag holds the member's name.
    VillageMember,
    /// From the offers anchor to an offer its author published.
    VillageOffer,
}

#[hdk_extern]
pub fn validate(op: Op) -> ExternResult<ValidateCallbackResult> {
    validation::validate_op(op)
}
