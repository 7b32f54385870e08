//! The ledger's validation rules, as pure functions over plain data.
//!
//! Nothing here calls the conductor: the integrity zome's `validate` callback gathers what a rule
//! needs (the entry, the signers, the party's previous payment) and hands it over. So every rule is
//! unit-tested on the host with `cargo test -p ledger_rules`, in seconds.
//!
//! Rules enforced on every payment, by every peer:
//! 1. `amount`: the amount is positive and at most `MAX_AMOUNT`.
//! 2. `parties`: payer and payee are distinct and are exactly the session's signers.
//! 3. `arithmetic`: each resulting balance equals previous balance -/+ amount, with checked arithmetic.
//! 4. `zero_sum`: the changes to the two balances sum to zero.
//! 5. `limits`: the payer does not end below its floor, the payee not above its ceiling.
//! 6. `continuity`: each party's previous payment is really its latest, and its previous balance is
//!    the balance that payment left (no fork, no replay, no invented starting balance).
//! 7. `village`: the village's own parameters are coherent (floor <= 0 <= ceiling, decimals <= 12).

pub mod rules;
mod violation;

pub use rules::*;
pub use violation::{Violation, ViolationCode};

/// Amounts and balances are integers of the village's smallest unit (10^-decimals of the unit).
pub type Units = i64;

/// Largest amount or balance magnitude: 2^53 - 1, the largest integer a JavaScript client reads exactly.
pub const MAX_AMOUNT: Units = 9_007_199_254_740_991;

/// One party's side of a payment, as written in the payment entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartySide<K, H> {
    pub agent: K,
    /// The party's own record of its latest payment before this one, if any.
    pub previous_payment: Option<H>,
    pub balance_before: Units,
    pub balance_after: Units,
}

/// A payment, seen by the rules: `K` is an agent key type, `H` a record hash type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentFacts<K, H> {
    pub amount: Units,
    pub payer: PartySide<K, H>,
    pub payee: PartySide<K, H>,
}

/// The limits a party is held to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditLimits {
    /// The most negative balance allowed (<= 0).
    pub floor: Units,
    /// The most positive balance allowed (>= 0).
    pub ceiling: Units,
}
