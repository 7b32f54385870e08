use crate::{CreditLimits, PaymentFacts, Violation, ViolationCode};

/// Rule 5: the payer may not end below its floor, the payee not above its ceiling. Only the limit
/// a payment moves towards is checked, so a member already outside a since-tightened limit can
/// still move back towards zero.
pub fn check_limits<K, H>(payment: &PaymentFacts<K, H>, payer: CreditLimits, payee: CreditLimits) -> Result<(), Violation> {
    if payment.payer.balance_after < payer.floor {
        return Err(Violation::new(
            ViolationCode::OverFloor,
            format!("payer would end at {}, below its floor of {}", payment.payer.balance_after, payer.floor),
        ));
    }
    if payment.payee.balance_after > payee.ceiling {
        return Err(Violation::new(
            ViolationCode::OverCeiling,
            format!("payee would end at {}, above its ceiling of {}", payment.payee.balance_after, payee.ceiling),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::{payment, LIMITS};

    #[test]
    fn ending_exactly_on_a_limit_passes() {
        assert_eq!(check_limits(&payment(1_000, 0, 0), LIMITS, LIMITS), Ok(()));
    }

    #[test]
    fn one_unit_past_the_floor_is_refused() {
        assert_eq!(check_limits(&payment(1_001, 0, -500), LIMITS, LIMITS).unwrap_err().code, ViolationCode::OverFloor);
    }

    #[test]
    fn one_unit_past_the_payees_ceiling_is_refused() {
        assert_eq!(check_limits(&payment(1, 0, 1_000), LIMITS, LIMITS).unwrap_err().code, ViolationCode::OverCeiling);
    }

    #[test]
    fn each_party_is_held_to_its_own_limits() {
        let tight = CreditLimits { floor: -10, ceiling: 10 };
        assert_eq!(check_limits(&payment(20, 0, 0), tight, LIMITS).unwrap_err().code, ViolationCode::OverFloor);
        assert_eq!(check_limits(&payment(20, 0, 0), LIMITS, tight).unwrap_err().code, ViolationCode::OverCeiling);
    }

    #[test]
    fn a_member_outside_a_tightened_limit_can_move_back_towards_zero() {
        let tight = CreditLimits { floor: -10, ceiling: 10 };
        // payee at -50 (below the new floor) receives; payer at 50 (above the new ceiling) pays.
        assert_eq!(check_limits(&payment(5, 50, -50), tight, tight), Ok(()));
    }
}
