use crate::{check_amount, Units, Violation, ViolationCode};

/// 100 % in basis points.
pub const WHOLE_BP: u32 = 10_000;

/// How a payment of `amount` divides between the payee and the commons funds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevySplit {
    pub to_payee: Units,
    /// One share per fund, in the order of the village's rates.
    pub to_funds: Vec<Units>,
}

/// Domain rule 6: the levy each fund takes from a payment. The total levy is
/// rounded down once, each fund's share rounded down, and the rounding remainder goes to fund
/// `remainder_fund`, so payee + funds == amount exactly: rounding never creates or destroys credit.
pub fn split_levies(amount: Units, rates_bp: &[u32], remainder_fund: usize) -> Result<LevySplit, Violation> {
    check_amount(amount)?;
    let total_bp: u64 = rates_bp.iter().map(|&bp| bp as u64).sum();
    if total_bp > WHOLE_BP as u64 {
        return Err(Violation::new(ViolationCode::InvalidVillage, format!("levies add up to {total_bp} bp, more than 100 %")));
    }
    if !rates_bp.is_empty() && remainder_fund >= rates_bp.len() {
        return Err(Violation::new(ViolationCode::InvalidVillage, format!("remainder fund {remainder_fund} does not exist")));
    }
    // i128: amount (< 2^53) times basis points (< 2^14) cannot overflow.
    let share = |bp: u64| ((amount as i128 * bp as i128) / WHOLE_BP as i128) as Units;
    let total = share(total_bp);
    let mut to_funds: Vec<Units> = rates_bp.iter().map(|&bp| share(bp as u64)).collect();
    let remainder = total - to_funds.iter().sum::<Units>();
    if let Some(fund) = to_funds.get_mut(remainder_fund) {
        *fund += remainder;
    }
    Ok(LevySplit { to_payee: amount - total, to_funds })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::vectors::{levy_vectors, LevyVector};

    #[test]
    fn every_shared_vector_splits_as_written() {
        let vectors = levy_vectors();
        assert!(vectors.len() >= 5);
        for LevyVector { name, amount, rates_bp, remainder_fund, expected } in vectors {
            let got = split_levies(amount, &rates_bp, remainder_fund).map_err(|v| v.code.as_str().to_string());
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn payee_and_funds_always_add_up_to_the_amount() {
        for amount in [1, 2, 3, 7, 99, 100, 12_345, 99_999, 1_000_001] {
            for rates in [&[750u32, 250][..], &[3333, 3333, 3333], &[1], &[9999], &[10_000]] {
                let split = split_levies(amount, rates, rates.len() - 1).unwrap();
                assert_eq!(split.to_payee + split.to_funds.iter().sum::<Units>(), amount, "{amount} {rates:?}");
                assert!(split.to_funds.iter().all(|&f| f >= 0) && split.to_payee >= 0);
            }
        }
    }
}
