//! The ledger's validation rules, as pure functions over plain data.
//!
//! Nothing here calls the conductor: the integrity zome's `validate` callback gathers what a rule
//! needs (the entry, the signers, the party's previous payment, an offer, a cash-out request) and
//! hands it over. So every rule is unit-tested on the host with `cargo test -p ledger_rules`.
//!
//! A payment moves each party from an `Account` state `before` to one `after`. Rules, run by every peer:
//! - `amount`, `parties`: a positive amount, countersigned by exactly payer and payee.
//! - `roles`: who may take part in each kind of payment (only the treasury spends the funds, only the
//!   cash boundary takes cash in and out, settlements are with the treasury).
//! - `transfer`: the `after` states are exactly what the village's rules make of the `before` states:
//!   levies to the commons funds, care credits, contribution, cash-out count.
//! - `zero_sum`: balances plus commons funds change by a total of exactly zero.
//! - `limits`: contribution-based floors, ceilings.
//! - `continuity`: each `before` is the party's latest `after`, aged by demurrage to the payment's time.
//! - `cash_out`, `offer`, `closure`, `village`: the boundary, published prices, leaving, parameters.

mod limits;
pub mod rules;
mod violation;

pub use limits::{HISTORY_PAGE_MAX, PAYMENT_DEADLINE_MS, PAYMENT_WINDOW_MS, SHARED_LIMITS, UNSETTLED_WAIT_MS};
pub use rules::*;
pub use violation::{Handling, Violation, ViolationCode};

use serde::{Deserialize, Serialize};

/// Amounts and balances are integers of the village's smallest unit (10^-decimals of the unit).
pub type Units = i64;

/// Time, in microseconds since the Unix epoch (Holochain's `Timestamp`).
pub type Micros = i64;

pub const MICROS_PER_SECOND: Micros = 1_000_000;

/// Largest amount or balance magnitude: 2^53 - 1, the largest integer a JavaScript client reads exactly.
pub const MAX_AMOUNT: Units = 9_007_199_254_740_991;

/// What a party's chain says about its account after a payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub balance: Units,
    /// The part of a positive balance earned through care work: it spends like any credit but can
    /// never be cashed out. Always between 0 and max(balance, 0).
    pub care: Units,
    /// Credit this account has routed to each commons fund so far (levies it paid, demurrage it
    /// lost, a surplus it settled); the treasury's entries fall as it spends. A fund's balance is the
    /// sum of this over every account, so anyone can verify it.
    pub commons: Vec<Units>,
    /// Credit received in the current contribution window: it widens the floor.
    pub earned: Units,
    /// When the current contribution window opened.
    pub window_start: Micros,
    /// Cash-out requests settled so far: the next settlement must be request number `cash_outs + 1`.
    pub cash_outs: u32,
    /// Cash-out requests written so far, as the party's chain shows them at this payment: equal
    /// to `cash_outs`, or one more while a request waits (one waits at a time).
    #[serde(default)]
    pub cash_outs_requested: u32,
}

impl Account {
    /// An account before its first payment.
    pub fn opening(funds: usize) -> Self {
        Self { balance: 0, care: 0, commons: vec![0; funds], earned: 0, window_start: 0, cash_outs: 0, cash_outs_requested: 0 }
    }

    /// Balance plus commons contributions: every payment keeps the sum of this over its parties.
    pub fn holdings(&self) -> i128 {
        self.balance as i128 + self.commons.iter().map(|&c| c as i128).sum::<i128>()
    }

    /// The credit this account can take out through the cash boundary.
    pub fn cashable(&self) -> Units {
        (self.balance - self.care).max(0)
    }
}

/// One party's side of a payment, as written in the payment entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartySide<K, H> {
    pub agent: K,
    /// The party's own record of its latest payment before this one, if any.
    pub previous_payment: Option<H>,
    /// The account the previous payment left, aged to this payment's time.
    pub before: Account,
    pub after: Account,
}

/// What a payment is for; each kind has its own roles and its own way of moving credit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Kind<H> {
    /// Goods or services between members; levied.
    Trade,
    /// Paying a co-op's published offer: the amount is the offer's price; levied.
    Purchase { offer: H },
    /// A co-op crediting a steward for care of a commons (both sign); levied. Care work earns care credits.
    Stewardship { commons: String, work: StewardshipWork },
    /// The treasury paying a member for work on a collective project, out of one fund.
    TreasurySpend { fund: u8 },
    /// The cash boundary issuing credit for cash received, at par.
    CashIn { reference: String },
    /// A member redeeming credit for cash through the boundary, settling an earlier request.
    CashOut { request: H, fee: Units },
    /// The treasury taking a leaving member's surplus into, or covering its deficit from, the commons fund.
    Settlement,
    /// A payment its payer writes alone, offline: the payer is debited at once (levied like a
    /// trade); the payee side is the credit it carries, from an empty account, until redeemed.
    Voucher { expires_at: Micros },
    /// The payee claiming a voucher's credit, witnessed, without the payer: the payer side is
    /// the voucher's, copied; the payee's real account receives what the voucher carries.
    Redemption { voucher: H },
    /// A voucher's payer taking back, witnessed, the credit of a voucher that expired unredeemed:
    /// the payer side is the voucher's carried credit (its payee agent, nothing else of its
    /// account), paid back to the voucher's payer, the payee here.
    Reclaim { voucher: H },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StewardshipWork {
    /// Replanting, monitoring, fire management, watershed care.
    Ecological,
    /// Care (reproductive) labour.
    Care,
}

impl<H> Kind<H> {
    /// Levied kinds route the village's levies to the commons funds.
    pub fn is_levied(&self) -> bool {
        matches!(self, Kind::Trade | Kind::Purchase { .. } | Kind::Stewardship { .. } | Kind::Voucher { .. })
    }

    /// Who signs a payment of this kind besides its witness: (payer, payee). A voucher is signed
    /// by its payer alone and not witnessed; a redemption by its payee and a witness.
    pub fn signing_parties(&self) -> (bool, bool) {
        match self {
            Kind::Voucher { .. } => (true, false),
            Kind::Redemption { .. } | Kind::Reclaim { .. } => (false, true),
            _ => (true, true),
        }
    }
}

/// A payment, seen by the rules: `K` is an agent key type, `H` a record hash type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentFacts<K, H> {
    pub amount: Units,
    pub kind: Kind<H>,
    /// The payment's time: the start of its countersigning session.
    pub at: Micros,
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
