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

/** How the apps treat a refusal (`Handling` in the Rust). */
export type Handling = "never_retried" | "retried_at_once" | "retried_after_settling" | "outcome_unknown";

/** Every code's handling: the one table the client's retries read. */
export const HANDLING: Readonly<Record<ErrorCode, Handling>> = {
  invalid_amount: "never_retried",
  self_payment: "never_retried",
  forged_counterparty: "never_retried",
  not_countersigned: "never_retried",
  wrong_balance: "never_retried",
  not_zero_sum: "never_retried",
  over_floor: "never_retried",
  over_ceiling: "never_retried",
  broken_continuity: "never_retried",
  overflow: "never_retried",
  invalid_village: "never_retried",
  immutable_payment: "never_retried",
  forged_member: "never_retried",
  wrong_levy: "never_retried",
  wrong_credit_class: "never_retried",
  wrong_role: "never_retried",
  wrong_settlement: "never_retried",
  wrong_offer: "never_retried",
  wrong_cash_out: "never_retried",
  care_not_cashable: "never_retried",
  not_cashable: "never_retried",
  cash_out_too_early: "never_retried",
  demurrage_not_applied: "never_retried",
  account_closed: "never_retried",
  account_not_zero: "never_retried",
  wrong_time: "never_retried",
  no_witness: "never_retried",
  unattested_chain_top: "never_retried",
  not_a_member: "never_retried",
  invalid_text: "never_retried",
  unknown_fund: "never_retried",
  fund_short: "never_retried",
  voucher_expired: "never_retried",
  voucher_redeemed: "never_retried",
  payee_not_seen: "never_retried",
  wrong_voucher: "never_retried",
  forbidden_delete: "never_retried",
  forbidden_op: "never_retried",
  stale_chain_top: "never_retried",
  witness_behind: "retried_at_once",
  witness_busy: "retried_at_once",
  session_unsettled: "retried_after_settling",
  no_witness_online: "never_retried",
  counterparty_offline: "retried_at_once",
  counterparty_error: "never_retried",
  unknown_member: "never_retried",
  not_a_steward: "never_retried",
  name_taken: "never_retried",
  payment_in_progress: "retried_after_settling",
  lock_released: "retried_at_once",
  signed_later_session: "retried_at_once",
  session_completing: "retried_after_settling",
  session_refused: "never_retried",
  window_closing: "retried_at_once",
  stale_state: "never_retried",
  cash_out_pending: "never_retried",
  not_a_payment: "never_retried",
  invalid_page: "never_retried",
  not_synced: "retried_at_once",
  no_boundary: "never_retried",
  no_treasury: "never_retried",
  session_timeout: "outcome_unknown",
  session_abandoned: "never_retried",
  conductor_error: "never_retried",
};

/** What a member is told for each code, in one sentence. */
export const SENTENCES: Readonly<Record<ErrorCode, string>> = {
  invalid_amount: "Enter an amount greater than zero.",
  self_payment: "You cannot pay yourself.",
  forged_counterparty: "A party's signature is missing or not theirs: the payment was refused.",
  not_countersigned: "A payment must be signed by both parties: this one was refused.",
  wrong_balance: "The balances in this payment do not follow the village's rules: it was refused.",
  not_zero_sum: "This payment would create or destroy credit: it was refused.",
  over_floor: "This payment would take you below your credit floor.",
  over_ceiling: "This payment would take the payee above their credit ceiling.",
  broken_continuity: "This payment does not follow on from the latest one on the ledger: it was refused.",
  overflow: "That amount is too large for the ledger.",
  invalid_village: "The village's settings are not coherent.",
  immutable_payment: "A recorded payment can never be changed or deleted.",
  forged_member: "That membership is not one a steward's invitation gave.",
  wrong_levy: "The levies to the commons funds are not the village's: the payment was refused.",
  wrong_credit_class: "Care credits were not spent first, or not kept as care: the payment was refused.",
  wrong_role: "That kind of payment is not open to these accounts.",
  wrong_settlement: "A settlement must bring the leaving member to exactly zero.",
  wrong_offer: "The payment does not match the offer.",
  wrong_cash_out: "This cash-out does not settle a waiting request of yours.",
  care_not_cashable: "Care credits spend inside the village but can never be cashed out.",
  not_cashable: "You can cash out at most your positive balance.",
  cash_out_too_early: "This cash-out is still in its waiting period.",
  demurrage_not_applied: "An idle balance was not aged as the village's rules say: the payment was refused.",
  account_closed: "That account is closed.",
  account_not_zero: "An account closes at zero: settle it with the treasury first.",
  wrong_time: "This payment's time is not its session's: check this machine's clock.",
  no_witness: "The payment was not witnessed by the village's witnesses: it was refused.",
  unattested_chain_top: "A ledger position in this payment is not the one its witnesses attested: it was refused.",
  not_a_member: "Only members invited by a steward can trade in this village.",
  invalid_text: "That text is too long or empty.",
  unknown_fund: "That is not one of the village's funds.",
  fund_short: "The fund does not hold that much.",
  voucher_expired: "This voucher has expired.",
  voucher_redeemed: "This voucher has already been redeemed.",
  payee_not_seen: "Its payee has not been seen since the voucher expired: you can take it back once their node has been online and written anything, or a week after it expired.",
  wrong_voucher: "This is not a valid voucher for you.",
  forbidden_delete: "That cannot be deleted, or not by you.",
  forbidden_op: "This village never allows that.",
  stale_chain_top: "The witness refused: this payment starts from an outdated ledger. Refresh and try again.",
  witness_behind: "The witness has not caught up with the latest payments yet; try again in a moment.",
  witness_busy: "The village's witnesses are busy with other payments; try again in a moment.",
  session_unsettled: "Your last payment was interrupted and is still being settled; try again in a minute.",
  no_witness_online: "A payment needs a majority of the village's witnesses online, and too few answered.",
  counterparty_offline: "The payee's app is not reachable right now.",
  counterparty_error: "The other member's app failed; nothing was recorded.",
  unknown_member: "That person is not a member of this village.",
  not_a_steward: "Only a steward of this village can do that.",
  name_taken: "Another member already goes by that name.",
  payment_in_progress: "Another payment is still in progress; try again in a few seconds.",
  lock_released: "Your last payment was still finishing; try again.",
  signed_later_session: "The witnesses moved on meanwhile; try again.",
  session_completing: "Your last payment is still completing; try again in a moment.",
  session_refused: "The payment session could not be set up; nothing was recorded.",
  window_closing: "The network was too slow to finish the payment in time; nothing was recorded. Try again.",
  stale_state: "The payee's ledger changed meanwhile; try again.",
  cash_out_pending: "A cash-out request is already waiting; settle it first.",
  not_a_payment: "That record is not a payment.",
  invalid_page: "That page of your statement could not be read; start again from your newest payments.",
  not_synced: "Not yet seen on the network: the other member's app has to be online once first. Try again later.",
  no_boundary: "This village has no cash boundary.",
  no_treasury: "This village has no treasury.",
  session_timeout: "The payment did not complete in time; its outcome is not known yet. Check your statement before paying again.",
  session_abandoned: "The payment was abandoned; nothing was recorded.",
  conductor_error: "Your node answered with an error it did not explain.",
};
