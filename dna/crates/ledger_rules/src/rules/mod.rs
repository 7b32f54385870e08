//! One module per rule; `check_payment_entry` runs the ones that need nothing but the entry itself.
mod amount;
mod arithmetic;
mod continuity;
mod demurrage;
mod levies;
mod limits;
mod parties;
mod village;
mod zero_sum;

#[cfg(test)]
mod vectors;

pub use amount::check_amount;
pub use arithmetic::check_arithmetic;
pub use continuity::{check_continuity, ChainPosition};
pub use demurrage::{decay, Decay, DemurragePolicy, MAX_DECAY_PERIODS};
pub use levies::{split_levies, LevySplit, WHOLE_BP};
pub use limits::check_limits;
pub use parties::check_parties;
pub use village::check_village;
pub use zero_sum::check_zero_sum;

use crate::{CreditLimits, PaymentFacts, Violation};

/// The rules an entry authority can check from the entry and its signers alone.
pub fn check_payment_entry<K: PartialEq, H>(
    payment: &PaymentFacts<K, H>,
    signers: &[K],
    payer_limits: CreditLimits,
    payee_limits: CreditLimits,
) -> Result<(), Violation> {
    check_amount(payment.amount)?;
    check_parties(&payment.payer.agent, &payment.payee.agent, signers)?;
    check_arithmetic(payment)?;
    check_zero_sum(payment)?;
    check_limits(payment, payer_limits, payee_limits)
}

#[cfg(test)]
pub(crate) mod fixtures {
    use crate::{CreditLimits, PartySide, PaymentFacts, Units};

    pub const LIMITS: CreditLimits = CreditLimits { floor: -1_000, ceiling: 1_000 };

    /// A consistent payment of `amount` from agent 1 (at `payer_before`) to agent 2 (at `payee_before`).
    pub fn payment(amount: Units, payer_before: Units, payee_before: Units) -> PaymentFacts<u8, u32> {
        PaymentFacts {
            amount,
            payer: PartySide { agent: 1, previous_payment: None, balance_before: payer_before, balance_after: payer_before - amount },
            payee: PartySide { agent: 2, previous_payment: None, balance_before: payee_before, balance_after: payee_before + amount },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::ViolationCode;

    #[test]
    fn a_consistent_payment_passes_every_entry_rule() {
        assert_eq!(check_payment_entry(&payment(50, 0, 0), &[1, 2], LIMITS, LIMITS), Ok(()));
    }

    #[test]
    fn the_first_broken_rule_is_reported() {
        let err = check_payment_entry(&payment(0, 0, 0), &[1, 2], LIMITS, LIMITS).unwrap_err();
        assert_eq!(err.code, ViolationCode::InvalidAmount);
        let err = check_payment_entry(&payment(50, -990, 0), &[1, 2], LIMITS, LIMITS).unwrap_err();
        assert_eq!(err.code, ViolationCode::OverFloor);
    }
}
