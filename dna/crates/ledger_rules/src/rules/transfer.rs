use crate::{
    check_kind_fields, split_levies, Account, Kind, PaymentFacts, Role, StewardshipWork, Units, Village, Violation, ViolationCode, MAX_AMOUNT,
};

/// The accounts a payment must leave its two parties with, computed from their `before` states by
/// the village's rules. The coordinator builds entries with it; validation recomputes it.
/// - Levied kinds: the payee receives the amount less the levies; the levies are added to the
///   payer's commons contributions. Care credits are spent first and stay care credits in the
///   payee's hands; stewardship for care work pays entirely in care credits.
/// - Treasury spending and deficit settlements come out of the treasury's commons contributions;
///   a surplus settlement goes into them.
/// - Cash in issues credit at par; cash out returns it to the boundary and counts the request.
/// - Everything a member receives counts as earned, except cash bought in and settlements.
pub fn expected_after<K: PartialEq, H>(
    amount: Units,
    kind: &Kind<H>,
    payer: (&K, &Account),
    payee: (&K, &Account),
    village: &Village<K>,
) -> Result<(Account, Account), Violation> {
    // Checked first so a kind naming a fund that does not exist is refused, never indexed.
    check_kind_fields(kind, village)?;
    let (mut from, mut to) = (payer.1.clone(), payee.1.clone());
    let funds = village.funds.len();
    if from.commons.len() != funds || to.commons.len() != funds {
        return Err(Violation::new(ViolationCode::WrongLevy, format!("accounts must carry one commons entry per fund ({funds})")));
    }
    let commons_fund = village.commons_fund as usize;
    let mut credited = amount;
    let mut care_received = 0;
    match kind {
        Kind::Trade | Kind::Purchase { .. } | Kind::Stewardship { .. } | Kind::Voucher { .. } => {
            let split = split_levies(amount, &village.levy_rates(), village.remainder_fund as usize)?;
            for (contribution, levy) in from.commons.iter_mut().zip(&split.to_funds) {
                *contribution = add(*contribution, *levy)?;
            }
            credited = split.to_payee;
            let care_spent = from.care.max(0).min(amount);
            from.care -= care_spent;
            care_received = match kind {
                Kind::Stewardship { work: StewardshipWork::Care, .. } => credited,
                _ => care_spent.min(credited),
            };
            from.balance = sub(from.balance, amount)?;
        }
        Kind::TreasurySpend { fund } => {
            let fund = *fund as usize;
            from.commons[fund] = sub(from.commons[fund], amount)?;
        }
        Kind::Settlement if village.role_of(payer.0) == Role::Treasury => {
            from.commons[commons_fund] = sub(from.commons[commons_fund], amount)?;
        }
        Kind::Settlement => {
            from.balance = sub(from.balance, amount)?;
            to.commons[commons_fund] = add(to.commons[commons_fund], amount)?;
            credited = 0;
        }
        Kind::CashIn { .. } | Kind::CashOut { .. } => {
            from.balance = sub(from.balance, amount)?;
        }
        Kind::Redemption { .. } | Kind::Reclaim { .. } => {
            return Err(Violation::new(
                ViolationCode::WrongVoucher,
                "a redemption or reclaim moves what its voucher carries (check_redemption, check_reclaim)",
            ));
        }
    }
    if let Kind::CashOut { .. } = kind {
        from.cash_outs = from.cash_outs.checked_add(1).ok_or_else(|| overflow("cash-out count"))?;
    }
    to.balance = add(to.balance, credited)?;
    if matches!(kind, Kind::Trade | Kind::Purchase { .. } | Kind::Stewardship { .. } | Kind::TreasurySpend { .. } | Kind::Voucher { .. }) {
        to.earned = add(to.earned, credited)?;
    }
    to.care = (to.care + care_received).min(to.balance.max(0));
    from.care = from.care.min(from.balance.max(0));
    Ok((from, to))
}

/// Rule: the entry's `after` states are the expected ones. A wrong commons contribution is a
/// short-changed levy; a wrong care figure misstates credit classes.
pub fn check_transfer<K: PartialEq, H>(payment: &PaymentFacts<K, H>, village: &Village<K>) -> Result<(), Violation> {
    let (payer, payee) = expected_after(
        payment.amount,
        &payment.kind,
        (&payment.payer.agent, &payment.payer.before),
        (&payment.payee.agent, &payment.payee.before),
        village,
    )?;
    for (who, expected, written) in [("payer", &payer, &payment.payer.after), ("payee", &payee, &payment.payee.after)] {
        let wrong = |code: ViolationCode, what: &str, want: String, got: String| {
            Err(Violation::new(code, format!("{who}'s {what} must be {want}, entry says {got}")))
        };
        if written.commons != expected.commons {
            return wrong(ViolationCode::WrongLevy, "commons contributions", format!("{:?}", expected.commons), format!("{:?}", written.commons));
        }
        if written.balance != expected.balance {
            return wrong(ViolationCode::WrongBalance, "resulting balance", expected.balance.to_string(), written.balance.to_string());
        }
        if written.care != expected.care {
            return wrong(ViolationCode::WrongCreditClass, "care credits", expected.care.to_string(), written.care.to_string());
        }
        if written != expected {
            return wrong(ViolationCode::WrongBalance, "account", format!("{expected:?}"), format!("{written:?}"));
        }
    }
    Ok(())
}

fn add(a: Units, b: Units) -> Result<Units, Violation> {
    a.checked_add(b).filter(|v| v.abs() <= MAX_AMOUNT).ok_or_else(|| overflow("balance"))
}

fn sub(a: Units, b: Units) -> Result<Units, Violation> {
    a.checked_sub(b).filter(|v| v.abs() <= MAX_AMOUNT).ok_or_else(|| overflow("balance"))
}

fn overflow(what: &str) -> Violation {
    Violation::new(ViolationCode::Overflow, format!("{what} out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::{payment, H};
    use crate::rules::village::tests::seed_village;

    #[test]
    fn two_hours_paid_give_the_payee_1_80_the_state_0_15_and_the_community_0_05() {
        let p = payment(Kind::Trade, 200_000, 0, 0);
        assert_eq!(p.payer.after.balance, -200_000);
        assert_eq!(p.payer.after.commons, vec![15_000, 5_000]);
        assert_eq!(p.payee.after.balance, 180_000);
        assert_eq!(p.payee.after.earned, 180_000);
        assert_eq!(check_transfer(&p, &seed_village()), Ok(()));
    }

    #[test]
    fn a_short_changed_levy_is_refused() {
        let mut p = payment(Kind::Trade, 200_000, 0, 0);
        p.payer.after.commons[0] -= 15_000;
        p.payee.after.balance += 15_000;
        assert_eq!(check_transfer(&p, &seed_village()).unwrap_err().code, ViolationCode::WrongLevy);
    }

    #[test]
    fn a_payer_who_keeps_more_than_it_should_is_refused() {
        let mut p = payment(Kind::Trade, 200_000, 0, 0);
        p.payer.after.balance += 1;
        assert_eq!(check_transfer(&p, &seed_village()).unwrap_err().code, ViolationCode::WrongBalance);
    }

    #[test]
    fn care_work_pays_in_care_credits_which_spend_first_and_stay_care() {
        let care = Kind::Stewardship { commons: "elder care".into(), work: StewardshipWork::Care };
        let p = payment(care, 1_000_000, 0, 0);
        assert_eq!((p.payee.after.balance, p.payee.after.care), (900_000, 900_000));
        // The carer spends 1 h of it: care goes first, and arrives as care (less levies).
        let spend = payment(Kind::Trade, 100_000, 900_000, 0).with_payer_care(900_000);
        assert_eq!((spend.payer.after.balance, spend.payer.after.care), (800_000, 800_000));
        assert_eq!((spend.payee.after.balance, spend.payee.after.care), (90_000, 90_000));
        // Care beyond what the payee ends up holding is not invented.
        let into_debt = payment(Kind::Trade, 100_000, 900_000, -50_000).with_payer_care(900_000);
        assert_eq!((into_debt.payee.after.balance, into_debt.payee.after.care), (40_000, 40_000));
    }

    #[test]
    fn treasury_spending_comes_out_of_its_fund() {
        let p = payment(Kind::TreasurySpend { fund: 1 }, 300_000, 0, 0).from_agent(100);
        assert_eq!(p.payer.after.balance, 0);
        assert_eq!(p.payer.after.commons, vec![0, -300_000]);
        assert_eq!((p.payee.after.balance, p.payee.after.earned), (300_000, 300_000));
    }

    #[test]
    fn settlements_move_a_leaving_balance_into_or_out_of_the_commons_fund() {
        let surplus = payment(Kind::Settlement, 50_000, 50_000, 0).to_agent(100);
        assert_eq!(surplus.payer.after.balance, 0);
        assert_eq!((surplus.payee.after.balance, surplus.payee.after.commons.clone()), (0, vec![0, 50_000]));
        let deficit = payment(Kind::Settlement, 50_000, 0, -50_000).from_agent(100);
        assert_eq!(deficit.payer.after.commons, vec![0, -50_000]);
        assert_eq!((deficit.payee.after.balance, deficit.payee.after.earned), (0, 0));
    }

    #[test]
    fn cash_moves_at_par_and_counts_the_request() {
        let cash_in = payment(Kind::CashIn { reference: "r".into() }, 10_000_000, 0, 0).from_agent(101);
        assert_eq!((cash_in.payer.after.balance, cash_in.payee.after.balance, cash_in.payee.after.earned), (-10_000_000, 10_000_000, 0));
        let cash_out = payment(Kind::CashOut { request: H, fee: 1_000_000 }, 10_000_000, 10_000_000, -10_000_000).to_agent(101);
        assert_eq!((cash_out.payer.after.balance, cash_out.payer.after.cash_outs), (0, 1));
        assert_eq!(cash_out.payee.after.balance, 0);
    }

    #[test]
    fn arithmetic_overflow_is_a_violation_not_a_panic() {
        let mut p = payment(Kind::Trade, 1, 0, 0);
        p.payer.before.balance = -MAX_AMOUNT;
        assert_eq!(check_transfer(&p, &seed_village()).unwrap_err().code, ViolationCode::Overflow);
    }
}
