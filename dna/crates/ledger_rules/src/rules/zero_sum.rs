use crate::{PaymentFacts, Violation, ViolationCode};

/// Rule 4: what the payer loses, the payee gains: the two balance changes sum to exactly zero.
/// Implied by rule 3 for a well-formed entry; kept as its own rule so the ledger's central invariant
/// stays checked if the entry ever grows more legs (fees, levies).
pub fn check_zero_sum<K, H>(payment: &PaymentFacts<K, H>) -> Result<(), Violation> {
    let change = |before: i64, after: i64| (after as i128) - (before as i128);
    let total = change(payment.payer.balance_before, payment.payer.balance_after)
        + change(payment.payee.balance_before, payment.payee.balance_after);
    if total != 0 {
        return Err(Violation::new(ViolationCode::NotZeroSum, format!("payment creates {total} units from nothing")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::payment;

    #[test]
    fn a_transfer_sums_to_zero() {
        assert_eq!(check_zero_sum(&payment(7, 3, -2)), Ok(()));
    }

    #[test]
    fn credit_created_or_destroyed_is_refused() {
        let mut p = payment(7, 3, -2);
        p.payee.balance_after += 5;
        assert_eq!(check_zero_sum(&p).unwrap_err().code, ViolationCode::NotZeroSum);
        let mut p = payment(7, 3, -2);
        p.payer.balance_after -= 5;
        assert_eq!(check_zero_sum(&p).unwrap_err().code, ViolationCode::NotZeroSum);
    }

    #[test]
    fn extreme_balances_do_not_overflow_the_check() {
        let mut p = payment(1, 0, 0);
        p.payer.balance_before = i64::MAX;
        p.payer.balance_after = i64::MIN;
        assert_eq!(check_zero_sum(&p).unwrap_err().code, ViolationCode::NotZeroSum);
    }
}
