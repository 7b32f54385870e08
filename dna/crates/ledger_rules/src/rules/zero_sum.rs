use crate::{Account, PaymentFacts, Violation, ViolationCode};

/// Rule: across both parties, balances plus commons contributions change by exactly zero: what the
/// payer loses, the payee and the commons funds gain. Implied by `transfer` for a well-formed entry;
/// kept as its own rule so the ledger's central invariant stays checked whatever the kind.
pub fn check_zero_sum<K, H>(payment: &PaymentFacts<K, H>) -> Result<(), Violation> {
    let total = change(&payment.payer.before, &payment.payer.after) + change(&payment.payee.before, &payment.payee.after);
    if total != 0 {
        return Err(Violation::new(ViolationCode::NotZeroSum, format!("payment creates {total} units from nothing")));
    }
    Ok(())
}

fn change(before: &Account, after: &Account) -> i128 {
    after.holdings() - before.holdings()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::payment;
    use crate::Kind;

    #[test]
    fn a_levied_transfer_sums_to_zero() {
        assert_eq!(check_zero_sum(&payment(Kind::Trade, 200_000, 3, -2)), Ok(()));
    }

    #[test]
    fn credit_created_or_destroyed_is_refused() {
        let mut p = payment(Kind::Trade, 7, 3, -2);
        p.payee.after.balance += 5;
        assert_eq!(check_zero_sum(&p).unwrap_err().code, ViolationCode::NotZeroSum);
        let mut p = payment(Kind::Trade, 200_000, 3, -2);
        p.payer.after.commons[1] -= 5_000;
        assert_eq!(check_zero_sum(&p).unwrap_err().code, ViolationCode::NotZeroSum);
    }

    #[test]
    fn extreme_balances_do_not_overflow_the_check() {
        let mut p = payment(Kind::Trade, 1, 0, 0);
        p.payer.before.balance = i64::MAX;
        p.payer.after.balance = i64::MIN;
        assert_eq!(check_zero_sum(&p).unwrap_err().code, ViolationCode::NotZeroSum);
    }
}
