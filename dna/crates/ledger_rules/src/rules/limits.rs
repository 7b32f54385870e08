use crate::{PaymentFacts, Role, Village, Violation, ViolationCode};

/// Rule: a member may not end below its floor (widened by its contribution) as payer, nor above its
/// ceiling as payee. Only the limit a payment moves towards is checked, so a member already outside
/// a since-tightened limit can still move back towards zero. The treasury and the boundary are not
/// members: their positions are the commons funds and the cash reserve, published for all to see.
pub fn check_limits<K: PartialEq, H>(payment: &PaymentFacts<K, H>, village: &Village<K>) -> Result<(), Violation> {
    let (payer, payee) = (&payment.payer, &payment.payee);
    if village.role_of(&payer.agent) == Role::Member && payer.after.balance < payer.before.balance {
        let floor = village.limits_for(&payer.before).floor;
        if payer.after.balance < floor {
            return Err(Violation::new(ViolationCode::OverFloor, format!("payer would end at {}, below its floor of {floor}", payer.after.balance)));
        }
    }
    if village.role_of(&payee.agent) == Role::Member && payee.after.balance > payee.before.balance {
        let ceiling = village.limits_for(&payee.before).ceiling;
        if payee.after.balance > ceiling {
            return Err(Violation::new(
                ViolationCode::OverCeiling,
                format!("payee would end at {}, above its ceiling of {ceiling}", payee.after.balance),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::payment;
    use crate::rules::village::tests::seed_village;
    use crate::Kind;

    fn check(p: &PaymentFacts<u8, u32>) -> Result<(), ViolationCode> {
        check_limits(p, &seed_village()).map_err(|v| v.code)
    }

    #[test]
    fn ending_exactly_on_the_floor_passes_and_one_unit_past_is_refused() {
        assert_eq!(check(&payment(Kind::Trade, 2_000_000, 0, 0)), Ok(()));
        assert_eq!(check(&payment(Kind::Trade, 2_000_001, 0, 0)), Err(ViolationCode::OverFloor));
    }

    #[test]
    fn one_unit_past_the_payees_ceiling_is_refused() {
        assert_eq!(check(&payment(Kind::CashIn { reference: "r".into() }, 1, 0, 2_000_000).from_agent(101)), Err(ViolationCode::OverCeiling));
    }

    #[test]
    fn what_a_member_earned_widens_its_floor() {
        let earner = payment(Kind::Trade, 2_100_000, 0, 0).with_payer_earned(1_000_000); // floor -22 h
        assert_eq!(check(&earner), Ok(()));
        let beyond = payment(Kind::Trade, 2_200_001, 0, 0).with_payer_earned(1_000_000);
        assert_eq!(check(&beyond), Err(ViolationCode::OverFloor));
    }

    #[test]
    fn a_member_outside_a_tightened_limit_can_move_back_towards_zero() {
        assert_eq!(check(&payment(Kind::Trade, 100, 3_000_000, -3_000_000)), Ok(()));
    }

    #[test]
    fn the_treasury_and_boundary_are_not_held_to_member_limits() {
        assert_eq!(check(&payment(Kind::CashIn { reference: "r".into() }, 1_000_000, -9_000_000, 0).from_agent(101)), Ok(()));
    }
}
