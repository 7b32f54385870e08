use crate::{Account, Kind, Micros, PaymentFacts, Units, Violation, ViolationCode, MAX_AMOUNT, MICROS_PER_SECOND};

/// The longest a voucher stays redeemable: a week of trading with no network at all.
pub const MAX_VOUCHER_LIFETIME_MICROS: Micros = 7 * 24 * 3600 * MICROS_PER_SECOND;
/// How long before the action that records it a voucher may be dated (the payer's own clock: no
/// witness sees a voucher written offline, and action times only go forward along a chain).
pub const MAX_VOUCHER_DATING_MICROS: Micros = crate::CLOCK_TOLERANCE_MICROS;

/// How long after its expiry a voucher's payer may take it back. An honest witness signs a
/// redemption only if the session starts by the voucher's expiry and within 30 s of its own clock,
/// and the session's window closes within 15 s of its start: every redemption is written by 45 s
/// after expiry. The rest leaves time for it to reach the witnesses and the payee's authorities,
/// whose reading of the payee's chain decides that it holds none.
pub const VOUCHER_RECLAIM_GRACE_MICROS: Micros = 120 * MICROS_PER_SECOND;

/// How long after its expiry a voucher's payer may take it back without its payee's chain having
/// been read past the expiry (`check_payee_seen_after_expiry`). Only a LAN split for longer than
/// this, with the payee on the far side, could still hide a redemption from the reclaim.
pub const VOUCHER_PAYEE_UNSEEN_WAIT_MICROS: Micros = 7 * 24 * 3600 * MICROS_PER_SECOND;

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

/// The payer's account once it takes back what its voucher carried: balance and care credits as
/// they were carried (care stays care up to the new balance), and nothing counted as earned, since
/// the payer only recovers its own credit.
pub fn reclaimed_into(before: &Account, carried: &Account) -> Result<Account, Violation> {
    let add = |a: Units, b: Units| {
        a.checked_add(b).filter(|v| v.abs() <= MAX_AMOUNT).ok_or_else(|| Violation::new(ViolationCode::Overflow, "balance out of range"))
    };
    let mut after = before.clone();
    after.balance = add(before.balance, carried.balance)?;
    after.care = add(before.care, carried.care)?.min(after.balance.max(0));
    Ok(after)
}

/// When a voucher may first be taken back by its payer: `VOUCHER_RECLAIM_GRACE_MICROS` after it expires.
pub fn reclaimable_from<H>(voucher_kind: &Kind<H>) -> Option<Micros> {
    match voucher_kind {
        Kind::Voucher { expires_at } => expires_at.checked_add(VOUCHER_RECLAIM_GRACE_MICROS),
        _ => None,
    }
}

/// Rule: a reclaim takes back exactly one voucher its payer wrote, only once the voucher has
/// expired and the grace period passed: its payer side is the voucher's payee holding exactly the
/// credit the voucher carried and handing all of it back; its payee is the voucher's payer, whose
/// real account receives it (`reclaimed_into`). That the voucher's payee never redeemed it, and the
/// payer never took it back before, is read from their chains (validation walks both).
pub fn check_reclaim<K: PartialEq, H: PartialEq>(
    reclaim: &PaymentFacts<K, H>,
    voucher: &PaymentFacts<K, H>,
    voucher_author: &K,
    funds: usize,
) -> Result<(), Violation> {
    let wrong = |why: &str| Err(Violation::new(ViolationCode::WrongVoucher, why.to_string()));
    let Some(reclaimable) = reclaimable_from(&voucher.kind) else {
        return wrong("a reclaim must name a voucher");
    };
    if *voucher_author != voucher.payer.agent || reclaim.payee.agent != voucher.payer.agent {
        return wrong("only a voucher's own payer takes it back");
    }
    if reclaim.amount != voucher.amount || reclaim.payer.agent != voucher.payee.agent {
        return wrong("a reclaim carries its voucher's amount and names its payee");
    }
    let carried_back =
        reclaim.payer.previous_payment.is_none() && reclaim.payer.before == voucher.payee.after && reclaim.payer.after == Account::opening(funds);
    if !carried_back {
        return wrong("a reclaim hands back exactly the credit its voucher carried, and nothing of the payee's own account");
    }
    if reclaim.at < reclaimable {
        return Err(Violation::new(
            ViolationCode::WrongTime,
            format!("a voucher is taken back only {} s after it expires", VOUCHER_RECLAIM_GRACE_MICROS / MICROS_PER_SECOND),
        ));
    }
    if reclaim.payee.after != reclaimed_into(&reclaim.payee.before, &voucher.payee.after)? {
        return Err(Violation::new(ViolationCode::WrongBalance, "a reclaim returns exactly what its voucher carried"));
    }
    Ok(())
}

/// Rule: a reclaim reads the voucher's payee's chain from a top written after the voucher expired
/// (`payee_top_at`), or waits `VOUCHER_PAYEE_UNSEEN_WAIT_MICROS` past the expiry. A redemption is
/// dated by its session's start, at the latest the expiry, and a chain's times only go forward, so
/// from such a top the walk back to the voucher passes every redemption the payee could have
/// written. A top older than that may be all this side of a split LAN has seen of a payee who
/// redeemed on the other side, with a witness there.
pub fn check_payee_seen_after_expiry<H>(voucher_kind: &Kind<H>, payee_top_at: Micros, reclaim_at: Micros) -> Result<(), Violation> {
    let Kind::Voucher { expires_at } = voucher_kind else {
        return Err(Violation::new(ViolationCode::WrongVoucher, "a reclaim must name a voucher"));
    };
    let waited = reclaim_at.checked_sub(*expires_at).is_some_and(|since| since >= VOUCHER_PAYEE_UNSEEN_WAIT_MICROS);
    if payee_top_at > *expires_at || waited {
        return Ok(());
    }
    Err(Violation::new(
        ViolationCode::PayeeNotSeen,
        format!(
            "the voucher's payee has not been seen since it expired: it can be taken back once the payee's node has written anything since, or {} days after it expired",
            VOUCHER_PAYEE_UNSEEN_WAIT_MICROS / (24 * 3600 * MICROS_PER_SECOND)
        ),
    ))
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

    /// Agent 1 takes back voucher `v` at `at`, from a balance of `payer_balance`.
    fn reclaim(v: &PaymentFacts<u8, u32>, payer_balance: Units, at: Micros) -> PaymentFacts<u8, u32> {
        let before = Account { balance: payer_balance, ..Account::opening(2) };
        let after = reclaimed_into(&before, &v.payee.after).unwrap();
        PaymentFacts {
            amount: v.amount,
            kind: Kind::Reclaim { voucher: 9 },
            at,
            payer: PartySide { agent: v.payee.agent, previous_payment: None, before: v.payee.after.clone(), after: Account::opening(2) },
            payee: PartySide { agent: v.payer.agent, previous_payment: Some(4), before, after },
        }
    }

    #[test]
    fn an_expired_voucher_is_taken_back_by_its_payer_after_the_grace_period() {
        let v = voucher();
        let expires_at = AT + 3600 * MICROS_PER_SECOND;
        let r = reclaim(&v, -3 * HOUR, expires_at + VOUCHER_RECLAIM_GRACE_MICROS);
        assert_eq!(check_reclaim(&r, &v, &1, 2), Ok(()));
        // The carried credit (2 h less levies) comes back; the levies stay with the funds; earning
        // your own credit back widens no floor.
        assert_eq!(r.payee.after.balance, -3 * HOUR + 180_000);
        assert_eq!(r.payee.after.earned, r.payee.before.earned);
        assert_eq!(check_payment_entry(&r, &[1], &seed_village()), Ok(()));
        let early = reclaim(&v, -3 * HOUR, expires_at + VOUCHER_RECLAIM_GRACE_MICROS - 1);
        assert_eq!(check_reclaim(&early, &v, &1, 2).unwrap_err().code, ViolationCode::WrongTime);
    }

    #[test]
    fn a_reclaim_reads_the_payee_past_the_expiry_or_waits_a_week() {
        let v = voucher();
        let expires_at = AT + 3600 * MICROS_PER_SECOND;
        let after_grace = expires_at + VOUCHER_RECLAIM_GRACE_MICROS;
        // The payee's chain read from an action written after the expiry: every redemption is below it.
        assert_eq!(check_payee_seen_after_expiry(&v.kind, expires_at + 1, after_grace), Ok(()));
        // Read only up to the expiry (a redemption dated at the expiry could come after that top),
        // or to before it: refused until the week has passed.
        for seen in [expires_at, AT] {
            assert_eq!(check_payee_seen_after_expiry(&v.kind, seen, after_grace).unwrap_err().code, ViolationCode::PayeeNotSeen);
            let just_before = expires_at + VOUCHER_PAYEE_UNSEEN_WAIT_MICROS - 1;
            assert_eq!(check_payee_seen_after_expiry(&v.kind, seen, just_before).unwrap_err().code, ViolationCode::PayeeNotSeen);
            assert_eq!(check_payee_seen_after_expiry(&v.kind, seen, expires_at + VOUCHER_PAYEE_UNSEEN_WAIT_MICROS), Ok(()));
        }
        // A reclaim dated before the expiry never counts as having waited.
        assert_eq!(check_payee_seen_after_expiry(&v.kind, AT, i64::MIN).unwrap_err().code, ViolationCode::PayeeNotSeen);
        let trade: Kind<u32> = Kind::Trade;
        assert_eq!(check_payee_seen_after_expiry(&trade, expires_at + 1, after_grace).unwrap_err().code, ViolationCode::WrongVoucher);
    }

    #[test]
    fn a_reclaim_that_does_not_match_its_voucher_is_refused() {
        let v = voucher();
        let r = reclaim(&v, 0, AT + 3600 * MICROS_PER_SECOND + VOUCHER_RECLAIM_GRACE_MICROS);
        // Written on another chain than the payer's, or taken back by the voucher's payee.
        assert_eq!(check_reclaim(&r, &v, &3, 2).unwrap_err().code, ViolationCode::WrongVoucher);
        let mut by_payee = r.clone();
        (by_payee.payer.agent, by_payee.payee.agent) = (1, 2);
        assert_eq!(check_reclaim(&by_payee, &v, &1, 2).unwrap_err().code, ViolationCode::WrongVoucher);
        // Taking more than was carried, from the carried side or into the account.
        let mut inflated = r.clone();
        inflated.payer.before.balance += 1;
        assert_eq!(check_reclaim(&inflated, &v, &1, 2).unwrap_err().code, ViolationCode::WrongVoucher);
        let mut more = r.clone();
        more.payee.after.balance += 1;
        assert_eq!(check_reclaim(&more, &v, &1, 2).unwrap_err().code, ViolationCode::WrongBalance);
        // Signed by anyone but the payer taking it back.
        assert_eq!(check_payment_entry(&r, &[2], &seed_village()).unwrap_err().code, ViolationCode::ForgedCounterparty);
        let trade = payment(Kind::Trade, 2 * HOUR, 0, 0);
        assert_eq!(check_reclaim(&r, &trade, &1, 2).unwrap_err().code, ViolationCode::WrongVoucher);
    }
}
