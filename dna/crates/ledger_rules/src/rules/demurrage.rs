use crate::{Units, Violation, ViolationCode};

/// The village's brake on hoarding: idle positive balances decay towards the commons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemurragePolicy {
    /// Days a balance may sit idle before it starts to decay.
    pub grace_days: u32,
    /// Length of one decay step, in days.
    pub period_days: u32,
    /// Share of what is left taken each period, in millionths.
    pub rate_ppm: u32,
}

/// Upper bound on decay steps (a century of monthly steps), so the loop below is bounded.
pub const MAX_DECAY_PERIODS: u32 = 1_200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decay {
    /// What the member still holds.
    pub kept: Units,
    /// What went to the commons: kept + to_commons is the stored balance, so the total stays zero.
    pub to_commons: Units,
}

/// Issue #3 groundwork (domain rule 9): the decayed value of a stored balance after `idle_days`,
/// computed lazily from stored value and elapsed time (no per-tick writes). Each full period past
/// the grace period takes `rate_ppm` of what is left, rounded down, so never more than is there.
/// Debts do not decay.
pub fn decay(balance: Units, idle_days: u32, policy: DemurragePolicy) -> Result<Decay, Violation> {
    if policy.period_days == 0 || policy.rate_ppm > 1_000_000 {
        return Err(Violation::new(ViolationCode::InvalidVillage, "demurrage needs a period of at least a day and a rate of at most 100 %"));
    }
    if balance <= 0 {
        return Ok(Decay { kept: balance, to_commons: 0 });
    }
    let periods = (idle_days.saturating_sub(policy.grace_days) / policy.period_days).min(MAX_DECAY_PERIODS);
    let mut kept = balance as i128;
    for _ in 0..periods {
        kept -= kept * policy.rate_ppm as i128 / 1_000_000;
    }
    let kept = kept as Units;
    Ok(Decay { kept, to_commons: balance - kept })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::vectors::demurrage_vectors;

    #[test]
    fn every_shared_vector_decays_as_written() {
        let (policy, cases) = demurrage_vectors();
        assert!(cases.len() >= 5);
        for (name, balance, idle_days, kept, to_commons) in cases {
            assert_eq!(decay(balance, idle_days, policy), Ok(Decay { kept, to_commons }), "{name}");
        }
    }

    #[test]
    fn decay_never_takes_more_than_there_is_and_stops_at_its_bound() {
        let policy = DemurragePolicy { grace_days: 0, period_days: 1, rate_ppm: 1_000_000 };
        assert_eq!(decay(5, 10, policy), Ok(Decay { kept: 0, to_commons: 5 }));
        let slow = DemurragePolicy { grace_days: 0, period_days: 1, rate_ppm: 1 };
        let long = decay(crate::MAX_AMOUNT, u32::MAX, slow).unwrap();
        assert_eq!(long.kept + long.to_commons, crate::MAX_AMOUNT);
        assert!(long.to_commons > 0);
    }

    #[test]
    fn a_policy_without_a_period_is_refused() {
        let bad = DemurragePolicy { grace_days: 90, period_days: 0, rate_ppm: 5_000 };
        assert_eq!(decay(100, 200, bad).unwrap_err().code, ViolationCode::InvalidVillage);
    }
}
