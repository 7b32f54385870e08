use crate::{Units, Violation, ViolationCode, MAX_AMOUNT};

/// Rule 1: an amount is positive and no larger than a JavaScript client can read exactly.
pub fn check_amount(amount: Units) -> Result<(), Violation> {
    if amount <= 0 {
        return Err(Violation::new(ViolationCode::InvalidAmount, format!("amount must be positive, got {amount}")));
    }
    if amount > MAX_AMOUNT {
        return Err(Violation::new(ViolationCode::InvalidAmount, format!("amount {amount} exceeds the maximum {MAX_AMOUNT}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_amounts_up_to_the_maximum_pass() {
        assert_eq!(check_amount(1), Ok(()));
        assert_eq!(check_amount(MAX_AMOUNT), Ok(()));
    }

    #[test]
    fn zero_negative_and_oversized_amounts_are_refused() {
        for amount in [0, -1, Units::MIN, MAX_AMOUNT + 1, Units::MAX] {
            assert_eq!(check_amount(amount).unwrap_err().code, ViolationCode::InvalidAmount, "{amount}");
        }
    }
}
