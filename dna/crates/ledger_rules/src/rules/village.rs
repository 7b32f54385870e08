use crate::{CreditLimits, Violation, ViolationCode, MAX_AMOUNT};

/// Rule 7: a village's parameters make sense: floor <= 0 <= ceiling within range, at most 12 decimals.
pub fn check_village(decimals: u8, limits: CreditLimits) -> Result<(), Violation> {
    if decimals > 12 {
        return Err(Violation::new(ViolationCode::InvalidVillage, format!("decimals must be at most 12, got {decimals}")));
    }
    if !(-MAX_AMOUNT..=0).contains(&limits.floor) || !(0..=MAX_AMOUNT).contains(&limits.ceiling) {
        return Err(Violation::new(
            ViolationCode::InvalidVillage,
            format!("limits must satisfy -{MAX_AMOUNT} <= floor <= 0 <= ceiling <= {MAX_AMOUNT}, got {} and {}", limits.floor, limits.ceiling),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_village_passes() {
        assert_eq!(check_village(5, CreditLimits { floor: -2_000_000, ceiling: 2_000_000 }), Ok(()));
    }

    #[test]
    fn incoherent_villages_are_refused() {
        let bad = [(13, -1, 1), (5, 1, 1), (5, -1, -1), (5, -MAX_AMOUNT - 1, 0), (5, 0, MAX_AMOUNT + 1)];
        for (decimals, floor, ceiling) in bad {
            let err = check_village(decimals, CreditLimits { floor, ceiling }).unwrap_err();
            assert_eq!(err.code, ViolationCode::InvalidVillage, "{decimals} {floor} {ceiling}");
        }
    }
}
