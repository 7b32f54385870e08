//! What a payment's author can move by choosing its time. A payment is dated by its initiator
//! (the session's start); honest witnesses sign only a start within `CLOCK_TOLERANCE_MICROS` of
//! their own clock (`check_session_clock`), since the machines of an offline village keep their
//! own time. Every rule that compares a payment's time is written so that no date within that
//! tolerance gains the author anything:
//! - a cash-out settles only once its wait has passed by the tolerance too (`check_cash_out`), so
//!   dating the session ahead never brings it forward;
//! - demurrage ages a balance to the payment's time plus the tolerance (`age`), so dating a
//!   payment back never skips a decay step;
//! - a voucher, written offline with no witness, is dated at most the tolerance before the action
//!   that records it (`check_voucher_issue`).
use crate::{Micros, Violation, ViolationCode, MICROS_PER_SECOND};

/// How far a session's start may be from an honest witness's clock, either way.
pub const CLOCK_TOLERANCE_MICROS: Micros = 30 * MICROS_PER_SECOND;

/// Rule (run by every honest witness before it signs): the session starts within the tolerance of
/// the witness's clock.
pub fn check_session_clock(session_start: Micros, witness_now: Micros) -> Result<(), Violation> {
    let skew = session_start.saturating_sub(witness_now).saturating_abs();
    if skew > CLOCK_TOLERANCE_MICROS {
        return Err(Violation::new(
            ViolationCode::WrongTime,
            format!(
                "the payment is dated {} s away from the witness's clock; at most {} s is allowed",
                skew / MICROS_PER_SECOND,
                CLOCK_TOLERANCE_MICROS / MICROS_PER_SECOND
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_within_the_tolerance_of_the_witness_clock_passes() {
        let now = 1_000 * MICROS_PER_SECOND;
        assert_eq!(check_session_clock(now + CLOCK_TOLERANCE_MICROS, now), Ok(()));
        assert_eq!(check_session_clock(now - CLOCK_TOLERANCE_MICROS, now), Ok(()));
        assert_eq!(check_session_clock(now + CLOCK_TOLERANCE_MICROS + 1, now).unwrap_err().code, ViolationCode::WrongTime);
        assert_eq!(check_session_clock(now - CLOCK_TOLERANCE_MICROS - 1, now).unwrap_err().code, ViolationCode::WrongTime);
    }
}
