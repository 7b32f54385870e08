use crate::{Account, Kind, Micros, PaymentFacts, Units, Violation, ViolationCode, MAX_AMOUNT, MICROS_PER_SECOND};

/// The longest a voucher stays redeemable: a week of trading with no network at all.
pub const MAX_VOUCHER_LIFETIME_MICROS: Micros = 7 * 24 * 3600 * MICROS_PER_SECOND;
/// How long before the action that records it a voucher may be dated (the payer's own clock: no
/// witness sees a voucher written offline, and action times only go forward along a chain).
pub const MAX_VOUCHER_DATING_MICROS: Micros = 60 * MICROS_PER_SECOND;

/// Rule: a voucher is dated at most `MAX_VOUCHER_DATING_MICROS` before the action recording it
/// and never after, it expires after it was written and within `MAX_VOUCHER_LIFETIME_MICROS`,
/// and its payee side is only the credit it carries: no previous payment, from an empty account.
pub fn check_voucher_issue<K, H>(voucher: &PaymentFacts<K, H>, recorded_at: Micros, funds: usize) -> Result<(), Violation> {
    let Kind::Voucher { expires_at } = voucher.kind else {
        return Err(Violation::new(ViolationCode::WrongVoucher, "not a voucher"));
    };
    if voucher.at > recorded_at || recorded_at - voucher.at > MAX_VOUCHER_DATING_MICROS {
        return Err(Violation::new(ViolationCode::WrongTime, "a voucher is dated when its payer writes it"));
    }
    if expires_at <= voucher.at || expires_at - voucher.at > MAX_VOUCHER_LIFETIME_MICROS {
        return Err(Violation::new(
            ViolationCode::VoucherExpired,
            format!("a voucher expires after it is written and within {} days", MAX_VOUCHER_LIFETIME_MICROS / (24 * 3600 * MICROS_PER_SECOND)),
        ));
    }
    if voucher.payee.previous_payment.is_some() || voucher.payee.before != Account::opening(funds) {
        return Err(Violation::new(ViolationCode::WrongVoucher, "a voucher's payee side is the credit it carries, from an empty account"));
    }
    Ok(())
}

/// The payee's account once it receives what a voucher carries (`carried`: the voucher's payee
/// side after), by the rule a payment's credit follows: balance and earnings grow, and care credits
/// stay care credits up to the new balance.
pub fn redeemed_into(before: &Account, carried: &Account) -> Result<Account, Violation> {
    let add = |a: Units, b: Units| {
        a.checked_add(b).filter(|v| v.abs() <= MAX_AMOUNT).ok_or_else(|| Violation::new(ViolationCode::Overflow, "balance out of range"))
    };
    let mut after = before.clone();
    after.balance = add(before.balance, carried.balance)?;
    after.earned = add(before.earned, carried.earned)?;
    after.care = add(before.care, carried.care)?.min(after.balance.max(0));
    Ok(after)
}

/// Rule: a redemption claims exactly one voucher written by the payer it names, for its payee,
/// before it expired, and credits the payee's real account with exactly what the voucher carries.
/// `voucher_author` is the agent whose chain records the voucher.
pub fn check_redemption<K: PartialEq, H: PartialEq>(
    redemption: &PaymentFacts<K, H>,
    voucher: &PaymentFacts<K, H>,
    voucher_author: &K,
) -> Result<(), Violation> {
    let wrong = |why: &str| Err(Violation::new(ViolationCode::WrongVoucher, why.to_string()));
    let Kind::Voucher { expires_at } = voucher.kind else {
        return wrong("a redemption must name a voucher");
    };
    if *voucher_author != voucher.payer.agent {
        return wrong("a voucher is recorded on its payer's own chain");
    }
    if redemption.amount != voucher.amount || redemption.payer != voucher.payer || redemption.payee.agent != voucher.payee.agent {
        return wrong("a redemption carries its voucher's amount, payer side and payee");
    }
    if redemption.at < voucher.at || redemption.at > expires_at {
        return Err(Violation::new(ViolationCode::VoucherExpired, "a voucher is redeemed between its writing and its expiry"));
    }
    if redemption.payee.after != redeemed_into(&redemption.payee.before, &voucher.payee.after)? {
        return Err(Violation::new(ViolationCode::WrongBalance, "a redemption credits exactly what its voucher carries"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::payment;
    use crate::rules::village::tests::seed_village;
    use crate::{check_payment_entry, PartySide};

    const HOUR: Units = 100_000;
    const AT: Micros = 1_000 * MICROS_PER_SECOND;

    /// A 2 h voucher from agent 1 (at -1 h) to agent 2, in the seed village (levied like a trade).
    fn voucher() -> PaymentFacts<u8, u32> {
        let mut v = payment(Kind::Voucher { expires_at: AT + 3600 * MICROS_PER_SECOND }, 2 * HOUR, -HOUR, 0);
        v.at = AT;
        v
    }

    fn redemption(v: &PaymentFacts<u8, u32>, payee_balance: Units, at: Micros) -> PaymentFacts<u8, u32> {
        let before = Account { balance: payee_balance, ..Account::opening(2) };
        let after = redeemed_into(&before, &v.payee.after).unwrap();
        PaymentFacts {
            amount: v.amount,
            kind: Kind::Redemption { voucher: 9 },
            at,
            payer: v.payer.clone(),
            payee: PartySide { agent: v.payee.agent, previous_payment: Some(4), before, after },
        }
    }

    #[test]
    fn a_voucher_debits_its_payer_at_once_and_carries_the_levied_credit() {
        let v = voucher();
        assert_eq!(check_voucher_issue(&v, AT + 5 * MICROS_PER_SECOND, 2), Ok(()));
        assert_eq!(check_payment_entry(&v, &[1], &seed_village()), Ok(()));
        assert_eq!(v.payer.after.balance, -3 * HOUR);
        assert_eq!(v.payee.after.balance, 180_000);
        // Signed by the payee too, or only by the payee: not a voucher's signers.
        assert_eq!(check_payment_entry(&v, &[1, 2], &seed_village()).unwrap_err().code, ViolationCode::ForgedCounterparty);
    }

    #[test]
    fn a_voucher_past_the_payers_floor_is_refused_when_written() {
        let v = payment(Kind::Voucher { expires_at: AT + 1 }, 2_000_001, 0, 0);
        assert_eq!(check_payment_entry(&v, &[1], &seed_village()).unwrap_err().code, ViolationCode::OverFloor);
    }

    #[test]
    fn a_voucher_is_dated_when_written_and_expires_within_a_week() {
        let v = voucher();
        assert_eq!(check_voucher_issue(&v, AT - 1, 2).unwrap_err().code, ViolationCode::WrongTime);
        assert_eq!(check_voucher_issue(&v, AT + MAX_VOUCHER_DATING_MICROS + 1, 2).unwrap_err().code, ViolationCode::WrongTime);
        let mut long = voucher();
        long.kind = Kind::Voucher { expires_at: AT + MAX_VOUCHER_LIFETIME_MICROS + 1 };
        assert_eq!(check_voucher_issue(&long, AT, 2).unwrap_err().code, ViolationCode::VoucherExpired);
        let mut padded = voucher();
        padded.payee.before.balance = 5;
        assert_eq!(check_voucher_issue(&padded, AT, 2).unwrap_err().code, ViolationCode::WrongVoucher);
    }

    #[test]
    fn a_redemption_credits_what_the_voucher_carries_before_it_expires() {
        let v = voucher();
        let r = redemption(&v, HOUR, AT + 60 * MICROS_PER_SECOND);
        assert_eq!(check_redemption(&r, &v, &1), Ok(()));
        assert_eq!(r.payee.after.balance, HOUR + 180_000);
        assert_eq!(check_payment_entry(&r, &[2], &seed_village()), Ok(()));
        let late = redemption(&v, HOUR, AT + 3601 * MICROS_PER_SECOND);
        assert_eq!(check_redemption(&late, &v, &1).unwrap_err().code, ViolationCode::VoucherExpired);
    }

    #[test]
    fn a_redemption_that_does_not_match_its_voucher_is_refused() {
        let v = voucher();
        let r = redemption(&v, 0, AT + 1);
        assert_eq!(check_redemption(&r, &v, &3).unwrap_err().code, ViolationCode::WrongVoucher);
        let mut more = r.clone();
        more.payee.after.balance += 1;
        assert_eq!(check_redemption(&more, &v, &1).unwrap_err().code, ViolationCode::WrongBalance);
        let mut bigger = r.clone();
        bigger.amount += 1;
        assert_eq!(check_redemption(&bigger, &v, &1).unwrap_err().code, ViolationCode::WrongVoucher);
        let trade = payment(Kind::Trade, 2 * HOUR, 0, 0);
        assert_eq!(check_redemption(&r, &trade, &1).unwrap_err().code, ViolationCode::WrongVoucher);
    }
}
