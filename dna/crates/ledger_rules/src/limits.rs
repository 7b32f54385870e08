//! The time and size limits the zomes and the client share. Each is defined once, here or beside
//! the rule it bounds, and `client/src/limits.ts` is generated from `SHARED_LIMITS`
//! (`tests/generated_ts.rs`), so the two sides never drift.
use crate::{CLOCK_TOLERANCE_MICROS, MAX_DECAY_PERIODS, MAX_MEMO_CHARS, MAX_NAME_CHARS, MAX_SESSION_MICROS, MICROS_PER_SECOND};

/// How long a payment's session may hold its signers' chains: an honest payee and witness sign
/// no longer session (validation allows up to `MAX_SESSION_MICROS`).
pub const PAYMENT_WINDOW_MS: u64 = 10_000;
/// How long the client waits for a payment it started to complete: the window, and as long again
/// for the completion signal to arrive.
pub const PAYMENT_DEADLINE_MS: u64 = 2 * PAYMENT_WINDOW_MS;
/// How long starting a payment waits for an unfinished session of the member's to be settled:
/// the window, Holochain's first attempt to resolve the session, and a margin.
pub const UNSETTLED_WAIT_MS: u64 = 4 * PAYMENT_WINDOW_MS;
/// The most payments one statement page holds.
pub const HISTORY_PAGE_MAX: u32 = 100;

/// Every limit the client reads: its TypeScript name, its value and what it bounds.
pub const SHARED_LIMITS: &[(&str, i64, &str)] = &[
    ("MAX_MEMO_CHARS", MAX_MEMO_CHARS as i64, "The longest memo, in characters."),
    ("MAX_NAME_CHARS", MAX_NAME_CHARS as i64, "The longest member name, in characters."),
    (
        "CLOCK_TOLERANCE_SECS",
        CLOCK_TOLERANCE_MICROS / MICROS_PER_SECOND,
        "How far a payment's time may be from an honest witness's clock, in seconds: demurrage and contribution windows count to the payment's time plus this, and a cash-out settles this long after its wait.",
    ),
    ("MAX_SESSION_MS", MAX_SESSION_MICROS / 1000, "The longest payment session validation accepts, in milliseconds."),
    ("PAYMENT_WINDOW_MS", PAYMENT_WINDOW_MS as i64, "The longest payment session an honest payee or witness signs, in milliseconds."),
    ("PAYMENT_DEADLINE_MS", PAYMENT_DEADLINE_MS as i64, "How long the client waits for a payment it started to complete, in milliseconds."),
    (
        "UNSETTLED_WAIT_MS",
        UNSETTLED_WAIT_MS as i64,
        "How long starting a payment waits for an unfinished session of the member's to be settled, in milliseconds.",
    ),
    ("HISTORY_PAGE_MAX", HISTORY_PAGE_MAX as i64, "The most payments one statement page holds."),
    ("MAX_DECAY_PERIODS", MAX_DECAY_PERIODS as i64, "The most demurrage periods one ageing applies."),
];
