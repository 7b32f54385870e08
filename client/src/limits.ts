// GENERATED from SHARED_LIMITS in dna/crates/ledger_rules/src/limits.rs: do not edit by hand.
// Change the Rust, then regenerate with `UPDATE_GENERATED=1 cargo test -p ledger_rules --test generated_ts`.

/** The longest memo, in characters. */
export const MAX_MEMO_CHARS = 280;

/** The longest member name, in characters. */
export const MAX_NAME_CHARS = 64;

/** How far a payment's time may be from an honest witness's clock, in seconds: demurrage and contribution windows count to the payment's time plus this, and a cash-out settles this long after its wait. */
export const CLOCK_TOLERANCE_SECS = 30;

/** The longest payment session validation accepts, in milliseconds. */
export const MAX_SESSION_MS = 15000;

/** The longest payment session an honest payee or witness signs, in milliseconds. */
export const PAYMENT_WINDOW_MS = 10000;

/** How long the client waits for a payment it started to complete, in milliseconds. */
export const PAYMENT_DEADLINE_MS = 20000;

/** How long starting a payment waits for an unfinished session of the member's to be settled, in milliseconds. */
export const UNSETTLED_WAIT_MS = 40000;

/** The most payments one statement page holds. */
export const HISTORY_PAGE_MAX = 100;

/** The most demurrage periods one ageing applies. */
export const MAX_DECAY_PERIODS = 1200;
