//! The ledger's integrity zome: entry and link types, and the `validate` callback every peer runs.
//! The rules themselves live in the `ledger_rules` crate; this zome gathers their inputs.
use hdi::prelude::*;

mod cash_out;
mod closure;
mod invitation;
mod member;
mod offer;
mod payment;
mod validation;
mod village;

pub use cash_out::CashOutRequest;
pub use closure::AccountClosure;
pub use invitation::{check_joining, Invitation};
pub use ledger_rules::{self, Account, Kind, StewardshipWork, Units, Violation, ViolationCode, MAX_AMOUNT};
pub use member::members_anchor;
pub use offer::{offers_anchor, Offer};
pub use payment::{attested_tops, PartyState, Payment, PaymentKind};
pub use validation::{party_chain_held_now, voucher_payee_seen_now, voucher_unclaimed_now};
pub use village::{current_village, VillageProperties};

// A payment is most of what the ledger holds; boxing it would only add an allocation per entry.
#[allow(clippy::large_enum_variant)]
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

/// A conductor refuses to install the hApp for an agent without a steward's invitation (a founder
/// needs none). Peers check the same on the agent's validation package and its first payment.
#[hdk_extern]
pub fn genesis_self_check(data: GenesisSelfCheckData) -> ExternResult<ValidateCallbackResult> {
    let village = current_village()?;
    Ok(match check_joining(&data.agent_key, data.membrane_proof.as_ref(), &village) {
        Ok(()) => ValidateCallbackResult::Valid,
        Err(violation) => ValidateCallbackResult::Invalid(violation.to_string()),
    })
}

#[hdk_extern]
pub fn validate(op: Op) -> ExternResult<ValidateCallbackResult> {
    validation::validate_op(op)
}
