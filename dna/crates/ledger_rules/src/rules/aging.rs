use crate::{decay, Account, Micros, Village, Violation, CLOCK_TOLERANCE_MICROS, MICROS_PER_SECOND};

/// What time does to an account between two payments, applied lazily when the next one is made:
/// demurrage moves part of an idle positive balance to the commons fund (care credits shrink with
/// it), and a contribution window that has ended starts afresh. Zero-sum: what the balance loses,
/// the account's commons contribution gains. Time counts until `now` plus the clock tolerance
/// (`clock`): a payment dated back within the tolerance never skips a decay step nor keeps a
/// contribution window open, and an honest one at worst meets either that many seconds early.
pub fn age<K: PartialEq>(account: &Account, since: Micros, now: Micros, village: &Village<K>) -> Result<Account, Violation> {
    let idle_until = now.saturating_add(CLOCK_TOLERANCE_MICROS);
    let idle_secs = if now < since { 0 } else { (idle_until.saturating_sub(since) / MICROS_PER_SECOND) as u64 };
    let decayed = decay(account.balance, idle_secs, village.demurrage)?;
    let mut aged = account.clone();
    aged.balance = decayed.kept;
    aged.care = aged.care.min(aged.balance.max(0));
    if let Some(fund) = aged.commons.get_mut(village.commons_fund as usize) {
        *fund += decayed.to_commons;
    }
    let window = village.limits.window_secs as Micros * MICROS_PER_SECOND;
    // The window closes at the same tolerance: dating back never keeps a wider floor open longer.
    if idle_until.saturating_sub(aged.window_start) >= window {
        aged.earned = 0;
        aged.window_start = now;
    }
    Ok(aged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::village::tests::seed_village;

    const DAY: Micros = 86_400 * MICROS_PER_SECOND;

    fn holding(balance: i64, care: i64) -> Account {
        Account { balance, care, commons: vec![10, 20], earned: 500, ..Account::opening(2) }
    }

    #[test]
    fn a_balance_idle_for_four_months_loses_half_a_percent_to_the_community_fund() {
        let aged = age(&holding(10_000_000, 0), 0, 120 * DAY, &seed_village()).unwrap();
        assert_eq!(aged.balance, 9_950_000);
        assert_eq!(aged.commons, vec![10, 20 + 50_000]);
    }

    #[test]
    fn within_the_grace_period_only_the_window_moves() {
        let aged = age(&holding(10_000_000, 0), 0, 89 * DAY, &seed_village()).unwrap();
        assert_eq!(aged.balance, 10_000_000);
        assert_eq!(aged.commons, vec![10, 20]);
        assert_eq!(aged.earned, 500, "the 90-day window is still open");
        let later = age(&holding(10_000_000, 0), 0, 90 * DAY, &seed_village()).unwrap();
        assert_eq!((later.earned, later.window_start), (0, 90 * DAY), "a new window opens");
    }

    #[test]
    fn a_decay_step_within_the_clock_tolerance_is_taken() {
        let step = 120 * DAY;
        let just_before = age(&holding(10_000_000, 0), 0, step - CLOCK_TOLERANCE_MICROS, &seed_village()).unwrap();
        assert_eq!(just_before.balance, 9_950_000, "dated back within the tolerance, the step is still taken");
        let earlier = age(&holding(10_000_000, 0), 0, step - CLOCK_TOLERANCE_MICROS - MICROS_PER_SECOND, &seed_village()).unwrap();
        assert_eq!(earlier.balance, 10_000_000);
    }

    #[test]
    fn care_credits_shrink_with_the_balance_they_are_part_of() {
        let aged = age(&holding(10_000_000, 10_000_000), 0, 120 * DAY, &seed_village()).unwrap();
        assert_eq!(aged.care, 9_950_000);
    }

    #[test]
    fn a_clock_running_backwards_ages_nothing() {
        let aged = age(&holding(10_000_000, 0), 200 * DAY, 0, &seed_village()).unwrap();
        assert_eq!(aged.balance, 10_000_000);
    }
}
