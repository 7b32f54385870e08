use crate::{Kind, PartySide, Role, Village, Violation, ViolationCode};

/// Who may take part in each kind of payment. The commons funds are spent only by the treasury,
/// credit is issued for cash and redeemed only through the boundary, and the two institutional
/// accounts take part in nothing else (so their balances mean exactly one thing each).
pub fn check_roles<K: PartialEq, H>(kind: &Kind<H>, payer: &PartySide<K, H>, payee: &PartySide<K, H>, village: &Village<K>) -> Result<(), Violation> {
    let payer_role = village.role_of(&payer.agent);
    let payee_role = village.role_of(&payee.agent);
    let allowed = match kind {
        Kind::Trade | Kind::Purchase { .. } | Kind::Stewardship { .. } | Kind::Voucher { .. } | Kind::Redemption { .. } | Kind::Reclaim { .. } => {
            payer_role == Role::Member && payee_role == Role::Member
        }
        Kind::TreasurySpend { .. } => payer_role == Role::Treasury && payee_role == Role::Member,
        Kind::CashIn { .. } => payer_role == Role::Boundary && payee_role == Role::Member,
        Kind::CashOut { .. } => payer_role == Role::Member && payee_role == Role::Boundary,
        Kind::Settlement => {
            (payer_role == Role::Treasury && payee_role == Role::Member) || (payer_role == Role::Member && payee_role == Role::Treasury)
        }
    };
    if !allowed {
        return Err(Violation::new(
            ViolationCode::WrongRole,
            format!("a {} payment cannot be made by a {payer_role:?} account to a {payee_role:?} account", kind_name(kind)),
        ));
    }
    Ok(())
}

pub fn kind_name<H>(kind: &Kind<H>) -> &'static str {
    match kind {
        Kind::Trade => "trade",
        Kind::Purchase { .. } => "purchase",
        Kind::Stewardship { .. } => "stewardship",
        Kind::TreasurySpend { .. } => "treasury spending",
        Kind::CashIn { .. } => "cash-in",
        Kind::CashOut { .. } => "cash-out",
        Kind::Settlement => "settlement",
        Kind::Voucher { .. } => "voucher",
        Kind::Redemption { .. } => "voucher redemption",
        Kind::Reclaim { .. } => "voucher reclaim",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::side;
    use crate::rules::village::tests::seed_village;
    use crate::StewardshipWork;

    const TREASURY: u8 = 100;
    const BOUNDARY: u8 = 101;

    fn check(kind: Kind<u32>, payer: u8, payee: u8) -> Result<(), ViolationCode> {
        check_roles(&kind, &side(payer, 0), &side(payee, 0), &seed_village()).map_err(|v| v.code)
    }

    #[test]
    fn members_trade_and_steward_between_themselves() {
        assert_eq!(check(Kind::Trade, 1, 2), Ok(()));
        assert_eq!(check(Kind::Stewardship { commons: "watershed".into(), work: StewardshipWork::Ecological }, 1, 2), Ok(()));
        assert_eq!(check(Kind::Trade, 1, TREASURY), Err(ViolationCode::WrongRole));
        assert_eq!(check(Kind::Trade, BOUNDARY, 2), Err(ViolationCode::WrongRole));
    }

    #[test]
    fn only_the_treasury_spends_the_funds() {
        assert_eq!(check(Kind::TreasurySpend { fund: 0 }, TREASURY, 2), Ok(()));
        assert_eq!(check(Kind::TreasurySpend { fund: 0 }, 1, 2), Err(ViolationCode::WrongRole));
    }

    #[test]
    fn only_the_boundary_takes_cash_in_and_out() {
        assert_eq!(check(Kind::CashIn { reference: "receipt 17".into() }, BOUNDARY, 2), Ok(()));
        assert_eq!(check(Kind::CashIn { reference: "r".into() }, 1, 2), Err(ViolationCode::WrongRole));
        assert_eq!(check(Kind::CashOut { request: 1, fee: 0 }, 2, BOUNDARY), Ok(()));
        assert_eq!(check(Kind::CashOut { request: 1, fee: 0 }, 2, 3), Err(ViolationCode::WrongRole));
    }

    #[test]
    fn settlements_are_between_the_treasury_and_a_member() {
        assert_eq!(check(Kind::Settlement, TREASURY, 2), Ok(()));
        assert_eq!(check(Kind::Settlement, 2, TREASURY), Ok(()));
        assert_eq!(check(Kind::Settlement, 1, 2), Err(ViolationCode::WrongRole));
    }
}
