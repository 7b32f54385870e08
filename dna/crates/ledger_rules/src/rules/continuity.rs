use crate::{PartySide, Units, Violation, ViolationCode};

/// What a party's own chain says, read by the validator from the chain up to the new payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainPosition<H> {
    /// The party's latest payment before the new one, if it has made any.
    pub latest_payment: Option<H>,
    /// The balance that latest payment left the party with (0 before its first payment).
    pub balance: Units,
}

/// Rule 6: a party's previous payment named in the entry is really its latest one, and its balance
/// before is the balance that payment left. This is what stops a replay of an old state or a
/// fork that spends the same credit twice.
pub fn check_continuity<K, H: PartialEq + std::fmt::Debug>(side: &PartySide<K, H>, chain: &ChainPosition<H>) -> Result<(), Violation> {
    if side.previous_payment != chain.latest_payment {
        return Err(Violation::new(
            ViolationCode::BrokenContinuity,
            format!("previous payment must be the party's latest ({:?}), entry names {:?}", chain.latest_payment, side.previous_payment),
        ));
    }
    if side.balance_before != chain.balance {
        return Err(Violation::new(
            ViolationCode::BrokenContinuity,
            format!("balance before must be {} (left by the previous payment), entry says {}", chain.balance, side.balance_before),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(previous_payment: Option<u32>, balance_before: Units) -> PartySide<u8, u32> {
        PartySide { agent: 1, previous_payment, balance_before, balance_after: balance_before - 1 }
    }

    #[test]
    fn naming_the_latest_payment_and_its_balance_passes() {
        assert_eq!(check_continuity(&side(Some(7), 40), &ChainPosition { latest_payment: Some(7), balance: 40 }), Ok(()));
        assert_eq!(check_continuity(&side(None, 0), &ChainPosition { latest_payment: None, balance: 0 }), Ok(()));
    }

    #[test]
    fn replaying_an_older_payment_is_refused() {
        let err = check_continuity(&side(Some(6), 40), &ChainPosition { latest_payment: Some(7), balance: 40 }).unwrap_err();
        assert_eq!(err.code, ViolationCode::BrokenContinuity);
    }

    #[test]
    fn claiming_a_fresh_start_after_paying_is_refused() {
        let err = check_continuity(&side(None, 0), &ChainPosition { latest_payment: Some(7), balance: -40 }).unwrap_err();
        assert_eq!(err.code, ViolationCode::BrokenContinuity);
    }

    #[test]
    fn an_invented_starting_balance_is_refused() {
        let err = check_continuity(&side(Some(7), 400), &ChainPosition { latest_payment: Some(7), balance: 40 }).unwrap_err();
        assert_eq!(err.code, ViolationCode::BrokenContinuity);
        let err = check_continuity(&side(None, 100), &ChainPosition { latest_payment: None, balance: 0 }).unwrap_err();
        assert_eq!(err.code, ViolationCode::BrokenContinuity);
    }
}
