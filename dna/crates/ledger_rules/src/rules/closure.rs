use crate::{Account, Kind, Role, Village, Violation, ViolationCode};

/// Rule: a member can only close its account at exactly zero (the treasury settles any surplus or
/// deficit first), with no commons role to play: the treasury and the boundary never close.
pub fn check_closure(latest: &Account, is_member: bool) -> Result<(), Violation> {
    if !is_member {
        return Err(Violation::new(ViolationCode::WrongRole, "the treasury and the cash boundary cannot close"));
    }
    if latest.balance != 0 {
        return Err(Violation::new(
            ViolationCode::AccountNotZero,
            format!("an account closes at zero; this one holds {} (settle it with the treasury first)", latest.balance),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_zero_member_account_closes() {
        assert_eq!(check_closure(&Account::opening(2), true), Ok(()));
        let holding = Account { balance: 50_000, ..Account::opening(2) };
        assert_eq!(check_closure(&holding, true).unwrap_err().code, ViolationCode::AccountNotZero);
        let owing = Account { balance: -1, ..Account::opening(2) };
        assert_eq!(check_closure(&owing, true).unwrap_err().code, ViolationCode::AccountNotZero);
        assert_eq!(check_closure(&Account::opening(2), false).unwrap_err().code, ViolationCode::WrongRole);
    }
}

/// Rule: a settlement ends its member's account in the same step: once settled with the commons,
/// a member's chain counts as closed (`check_continuity` refuses its later payments), so credit
/// the commons covered or took cannot be run up again on the same account.
pub fn settles_member<K: PartialEq, H>(kind: &Kind<H>, party: &K, village: &Village<K>) -> bool {
    matches!(kind, Kind::Settlement) && village.role_of(party) == Role::Member
}

/// Rule: a settlement brings the member's balance to exactly zero: the member pays its whole
/// surplus to the treasury, or the treasury pays its whole deficit.
pub fn check_settlement(amount: crate::Units, member_before: &Account, member_is_payer: bool) -> Result<(), Violation> {
    let owed = if member_is_payer { member_before.balance } else { -member_before.balance };
    if owed != amount {
        return Err(Violation::new(
            ViolationCode::WrongSettlement,
            format!("a settlement moves the member's whole balance of {} to zero, not {amount}", member_before.balance),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod settlement_tests {
    use super::*;

    #[test]
    fn a_settlement_moves_the_whole_balance_in_the_right_direction() {
        let surplus = Account { balance: 50_000, ..Account::opening(2) };
        assert_eq!(check_settlement(50_000, &surplus, true), Ok(()));
        assert_eq!(check_settlement(40_000, &surplus, true).unwrap_err().code, ViolationCode::WrongSettlement);
        assert_eq!(check_settlement(50_000, &surplus, false).unwrap_err().code, ViolationCode::WrongSettlement);
        let deficit = Account { balance: -50_000, ..Account::opening(2) };
        assert_eq!(check_settlement(50_000, &deficit, false), Ok(()));
    }

    #[test]
    fn a_settlement_closes_its_member_and_nobody_else() {
        let village = crate::rules::village::tests::seed_village();
        assert!(settles_member::<u8, u32>(&Kind::Settlement, &1, &village));
        assert!(!settles_member::<u8, u32>(&Kind::Settlement, &100, &village), "the treasury never closes");
        assert!(!settles_member::<u8, u32>(&Kind::Trade, &1, &village));
    }
}
