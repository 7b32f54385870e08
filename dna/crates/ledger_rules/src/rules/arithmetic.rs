use crate::{PaymentFacts, Units, Violation, ViolationCode, MAX_AMOUNT};

/// Rule 3: each resulting balance is the previous balance minus (payer) or plus (payee) the amount,
/// computed with checked arithmetic and kept within +/- `MAX_AMOUNT`.
pub fn check_arithmetic<K, H>(payment: &PaymentFacts<K, H>) -> Result<(), Violation> {
    let payer_expected = payment.payer.balance_before.checked_sub(payment.amount);
    let payee_expected = payment.payee.balance_before.checked_add(payment.amount);
    let (Some(payer_expected), Some(payee_expected)) = (payer_expected, payee_expected) else {
        return Err(Violation::new(ViolationCode::Overflow, "balance arithmetic overflows"));
    };
    for balance in [payer_expected, payee_expected] {
        if !within_range(balance) {
            return Err(Violation::new(ViolationCode::Overflow, format!("balance {balance} is out of range")));
        }
    }
    if payment.payer.balance_after != payer_expected {
        return Err(Violation::new(
            ViolationCode::WrongBalance,
            format!("payer's resulting balance must be {payer_expected}, entry says {}", payment.payer.balance_after),
        ));
    }
    if payment.payee.balance_after != payee_expected {
        return Err(Violation::new(
            ViolationCode::WrongBalance,
            format!("payee's resulting balance must be {payee_expected}, entry says {}", payment.payee.balance_after),
        ));
    }
    Ok(())
}

fn within_range(balance: Units) -> bool {
    (-MAX_AMOUNT..=MAX_AMOUNT).contains(&balance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::payment;

    #[test]
    fn balances_moved_by_exactly_the_amount_pass() {
        assert_eq!(check_arithmetic(&payment(30, 10, -5)), Ok(()));
    }

    #[test]
    fn a_payer_who_keeps_more_than_it_should_is_refused() {
        let mut p = payment(30, 10, -5);
        p.payer.balance_after += 1;
        assert_eq!(check_arithmetic(&p).unwrap_err().code, ViolationCode::WrongBalance);
    }

    #[test]
    fn a_payee_credited_more_than_the_amount_is_refused() {
        let mut p = payment(30, 10, -5);
        p.payee.balance_after += 1;
        assert_eq!(check_arithmetic(&p).unwrap_err().code, ViolationCode::WrongBalance);
    }

    #[test]
    fn overflow_is_a_violation_not_a_panic() {
        let mut p = payment(1, 0, 0);
        p.payer.balance_before = Units::MIN;
        assert_eq!(check_arithmetic(&p).unwrap_err().code, ViolationCode::Overflow);
        let mut p = payment(1, 0, 0);
        p.payee.balance_before = MAX_AMOUNT;
        p.payee.balance_after = MAX_AMOUNT + 1;
        assert_eq!(check_arithmetic(&p).unwrap_err().code, ViolationCode::Overflow);
    }
}
