use crate::{Units, Violation, ViolationCode};
use serde::{Deserialize, Serialize};

/// The village's brake on hoarding: idle positive balances decay towards the commons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemurragePolicy {
    /// Seconds a balance may sit idle before it starts to decay (90 days = 7 776 000).
    pub grace_secs: u32,
    /// Length of one decay step, in seconds (30 days = 2 592 000).
    pub period_secs: u32,
    /// Share of what is left taken each period, in millionths (5 000 = 0.5 %).
    pub rate_ppm: u32,
}

/// Upper bound on decay steps, so the loop below is bounded whatever the clock says.
pub const MAX_DECAY_PERIODS: u64 = 1_200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decay {
    /// What the member still holds.
    pub kept: Units,
    /// What went to the commons: kept + to_commons is the stored balance, so the total stays zero.
    pub to_commons: Units,
}

/// Domain rule 9: the decayed value of a stored balance after `idle_secs`, computed lazily from
/// stored value and elapsed time (no per-tick writes). Each full period past the grace period takes
/// `rate_ppm` of what is left, rounded down, so never more than is there. Debts do not decay.
pub fn decay(balance: Units, idle_secs: u64, policy: DemurragePolicy) -> Result<Decay, Violation> {
    if policy.period_secs == 0 || policy.rate_ppm > 1_000_000 {
        return Err(Violation::new(ViolationCode::InvalidVillage, "demurrage needs a period of at least a second and a rate of at most 100 %"));
    }
    if balance <= 0 {
        return Ok(Decay { kept: balance, to_commons: 0 });
    }
    let periods = (idle_secs.saturating_sub(policy.grace_secs as u64) / policy.period_secs as u64).min(MAX_DECAY_PERIODS);
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
        for (name, balance, idle_secs, kept, to_commons) in cases {
            assert_eq!(decay(balance, idle_secs, policy), Ok(Decay { kept, to_commons }), "{name}");
        }
    }

    #[test]
    fn decay_never_takes_more_than_there_is_and_stops_at_its_bound() {
        let policy = DemurragePolicy { grace_secs: 0, period_secs: 1, rate_ppm: 1_000_000 };
        assert_eq!(decay(5, 10, policy), Ok(Decay { kept: 0, to_commons: 5 }));
        let slow = DemurragePolicy { grace_secs: 0, period_secs: 1, rate_ppm: 1 };
        let long = decay(crate::MAX_AMOUNT, u64::MAX, slow).unwrap();
        assert_eq!(long.kept + long.to_commons, crate::MAX_AMOUNT);
        assert!(long.to_commons > 0);
    }

    #[test]
    fn a_policy_without_a_period_is_refused() {
        let bad = DemurragePolicy { grace_secs: 90, period_secs: 0, rate_ppm: 5_000 };
        assert_eq!(decay(100, 200, bad).unwrap_err().code, ViolationCode::InvalidVillage);
    }
}
