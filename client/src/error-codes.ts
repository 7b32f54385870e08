// GENERATED from ViolationCode in dna/crates/ledger_rules/src/violation.rs: do not edit by hand.
// Change the Rust enum, then regenerate with `UPDATE_GENERATED=1 cargo test -p ledger_rules --test generated_ts`;
// the rule tests fail while this file and the enum differ.

/** Every stable error code, in the order the Rust enum declares them. */
export const ERROR_CODES = [
  /** An amount is not a positive integer of at most 2^53-1. */
  "invalid_amount",
  /** Payer and payee are the same agent. */
  "self_payment",
  /** A party did not sign, or someone else signed in its place. */
  "forged_counterparty",
  /** A payment was written without a countersigning session. */
  "not_countersigned",
  /** An `after` account is not what the village's rules make of the `before`. */
  "wrong_balance",
  /** Balances plus commons contributions do not change by exactly zero. */
  "not_zero_sum",
  /** A member would go below its credit floor. */
  "over_floor",
  /** A member would go above its credit ceiling. */
  "over_ceiling",
  /** A payment does not start from the party's latest payment. */
  "broken_continuity",
  /** Arithmetic would overflow. */
  "overflow",
  /** The village's parameters are incoherent. */
  "invalid_village",
  /** A ledger entry cannot be updated or deleted. */
  "immutable_payment",
  /** A membership link or invitation is not what it claims. */
  "forged_member",
  /** The levies to the commons funds are wrong. */
  "wrong_levy",
  /** Care credits were not spent first or not kept as care. */
  "wrong_credit_class",
  /** That kind of payment is not open to these accounts. */
  "wrong_role",
  /** A settlement does not bring the leaving member to exactly zero. */
  "wrong_settlement",
  /** A purchase does not match its offer, or an offer's price is not its parts. */
  "wrong_offer",
  /** A cash-out does not settle a valid request of its payer. */
  "wrong_cash_out",
  /** Care credits can never be cashed out. */
  "care_not_cashable",
  /** More than the cashable balance was asked for. */
  "not_cashable",
  /** A cash-out request is still in its waiting period. */
  "cash_out_too_early",
  /** A party's idle balance was not aged by demurrage. */
  "demurrage_not_applied",
  /** The account is closed. */
  "account_closed",
  /** An account closes only at zero. */
  "account_not_zero",
  /** A payment's time is not its session's start, goes back in time, or its window is too long. */
  "wrong_time",
  /** A payment session was not witnessed by one of the village's witnesses. */
  "no_witness",
  /** A party's chain top in the session is not the one its witness attested. */
  "unattested_chain_top",
  /** A party is not a member: it joined without a steward's invitation. */
  "not_a_member",
  /** A memo, title, name or reference is empty or too long. */
  "invalid_text",
  /** A fund index is not one of the village's funds. */
  "unknown_fund",
  /** Treasury spending beyond what its witness attested the fund holds. */
  "fund_short",
  /** A voucher redeemed after it expired, or written with an expiry outside its lifetime. */
  "voucher_expired",
  /** A voucher its payee has already redeemed. */
  "voucher_redeemed",
  /** A reclaim read its voucher's payee's chain only up to before the voucher expired (a redemption could be on the far side of a split LAN), and the longer wait has not passed. */
  "payee_not_seen",
  /** A redemption that does not match its voucher, or a voucher that is not one. */
  "wrong_voucher",
  /** A link may not be deleted, or not by this agent. */
  "forbidden_delete",
  /** An operation this village never allows (private entries, chain migration, key updates). */
  "forbidden_op",
  /** The witness saw a newer or forked chain than the session claims: a double-spend attempt. */
  "stale_chain_top",
  /** The witness has not yet seen the party's latest actions; try again. */
  "witness_behind",
  /** Every witness answering was busy signing other payments; nothing was locked. Try again. */
  "witness_busy",
  /** The witness holds an unfinished session of the party at this chain position (its conductor stopped mid-payment); it signs again once that session completes or is dropped. */
  "session_unsettled",
  /** No village witness answered. */
  "no_witness_online",
  /** The counterparty's conductor could not be reached. */
  "counterparty_offline",
  /** The counterparty's conductor failed. */
  "counterparty_error",
  /** The payee is not a member of this village. */
  "unknown_member",
  /** Only a steward can do that. */
  "not_a_steward",
  /** Another member already goes by that name. */
  "name_taken",
  /** Another payment session holds this chain until it completes or its window closes. */
  "payment_in_progress",
  /** The chain was still finishing its last payment: the lock Holochain left behind was released, nothing was written, and the call can be made again at once. */
  "lock_released",
  /** A witness signed a later session since this one was drafted; the payment is drafted again. */
  "signed_later_session",
  /** This chain wrote that payment; it completes once the other signers' actions arrive. */
  "session_completing",
  /** The countersigning session could not be set up. */
  "session_refused",
  /** The payee was asked to write its side too late in the session's window for the witness and the payer to write theirs; nothing was written. */
  "window_closing",
  /** A party's ledger moved while the payment was prepared. */
  "stale_state",
  /** A cash-out request is already waiting. */
  "cash_out_pending",
  /** The record named is not a payment. */
  "not_a_payment",
  /** A statement page must hold at least one payment and at most a hundred. */
  "invalid_page",
  /** This conductor has not yet received what it needs. */
  "not_synced",
  /** The village has no cash boundary. */
  "no_boundary",
  /** The village has no treasury. */
  "no_treasury",
  /** The session ended without completing; nothing was recorded. */
  "session_timeout",
  /** The session was abandoned; nothing was recorded. */
  "session_abandoned",
  /** The conductor answered with an error that carries no code. */
  "conductor_error",
] as const;

/** A stable error code, as the zomes write it in `[cc:<code>]` and the client reports it. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** Whether `s` is one of the stable error codes. */
export function isErrorCode(s: string): s is ErrorCode {
  return CODES.has(s);
}

