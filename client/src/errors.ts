// Every refusal carries a stable code, written `[cc:<code>]` by the zomes (coordinator checks and
// integrity validation alike). The code survives the conductor's error wrapping, so it is read back here.
// The codes are one list, generated from the Rust enum `ViolationCode` (./error-codes.ts).

import { isErrorCode, type ErrorCode } from "./error-codes.js";

const CODE = /\[cc:([a-z_]+)\]\s*([^"\\]*)/;

/**
 * What a zome call fails with when it released a chain lock Holochain 0.7.1 left behind just as a
 * previous session finished (the zome's `orphaned_lock` module): the release record's refusal.
 * The chain is free again, so the call can simply be made again.
 */
/** Holochain's texts for those two refusals (`ValidationOutcome`'s display, then its debug form). */
const RELEASE_REFUSALS = ["PreflightResponse signature was not valid", "previous action's author does not match", "PrevActionError"];

export function isReleaseRefusal(text: string): boolean {
  // Sys validation refuses the record for its empty signatures or for the other signers' states
  // naming this chain's head, whichever of its ops it validates first (both seen).
  return RELEASE_REFUSALS.some((sign) => text.includes(sign));
}
export const RELEASED_LOCK_MESSAGE = "the chain was still finishing its last payment; try again";

export function releasedLock(error: unknown): boolean {
  return error instanceof LedgerError && error.code === "lock_released";
}

export class LedgerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = "LedgerError";
  }
}

/**
 * A payment session no signer wrote: the payee did not write its side (it did not answer within
 * the window, or refused), so the witness and the payer did not write theirs
 * (`LedgerClient.completeSession`). Nothing was recorded, and starting the payment again is safe.
 */
export class UnwrittenSession extends LedgerError {}

/**
 * Turns any error from a zome call into a LedgerError. Errors with no code, or with a code this client
 * does not know (a newer zome), become `conductor_error`, the whole text kept in `detail`.
 */
export function toLedgerError(error: unknown): LedgerError {
  if (error instanceof LedgerError) return error;
  const text = errorText(error);
  const match = CODE.exec(text);
  if (match) {
    const code = match[1]!;
    const message = match[2]!.trim();
    if (isErrorCode(code)) return new LedgerError(code, message, text);
    return new LedgerError("conductor_error", `unknown error code ${code}: ${message}`, text);
  }
  if (isReleaseRefusal(text)) return new LedgerError("lock_released", RELEASED_LOCK_MESSAGE, text);
  if (/ChainLocked|chain is locked/i.test(text)) {
    return new LedgerError("payment_in_progress", "another payment is in progress on this chain; try again when it ends", text);
  }
  return new LedgerError("conductor_error", text.slice(0, 500), text);
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null) {
    const data = (error as { data?: unknown }).data;
    if (typeof data === "string") return data;
    return JSON.stringify(error);
  }
  return String(error);
}

/** Human sentences for the codes a member can meet in the app. */
export const REFUSAL_SENTENCES: Partial<Record<ErrorCode, string>> = {
  over_floor: "This payment would take you below your credit floor.",
  over_ceiling: "This payment would take the payee above their credit ceiling.",
  unknown_member: "That person is not a member of this village.",
  counterparty_offline: "The payee's app is not reachable right now.",
  no_witness_online: "A payment needs one of the village's witnesses online; none answered.",
  stale_chain_top: "The witness refused: this payment starts from an outdated ledger. Refresh and try again.",
  witness_behind: "The witness has not caught up with the latest payments yet; try again in a moment.",
  witness_busy: "The village's witnesses are busy with other payments; try again in a moment.",
  session_unsettled: "Your last payment was interrupted and is still being settled; try again in a minute.",
  name_taken: "Another member already goes by that name.",
  not_a_member: "Only members invited by a steward can trade in this village.",
  invalid_text: "That text is too long or empty.",
  payment_in_progress: "Another payment is still in progress; try again in a few seconds.",
  lock_released: "Your last payment was still finishing; try again.",
  signed_later_session: "The witnesses moved on meanwhile; try again.",
  session_completing: "Your last payment is still completing; try again in a moment.",
  session_timeout: "The payment did not complete in time; nothing was recorded.",
  session_abandoned: "The payment was abandoned; nothing was recorded.",
  window_closing: "The network was too slow to finish the payment in time; nothing was recorded. Try again.",
  invalid_amount: "Enter an amount greater than zero.",
  self_payment: "You cannot pay yourself.",
  stale_state: "The payee's ledger changed meanwhile; try again.",
  care_not_cashable: "Care credits spend inside the village but can never be cashed out.",
  not_cashable: "You can cash out at most your positive balance.",
  cash_out_too_early: "This cash-out is still in its waiting period.",
  cash_out_pending: "A cash-out request is already waiting; settle it first.",
  account_closed: "That account is closed.",
  account_not_zero: "An account closes at zero: settle it with the treasury first.",
  wrong_role: "That kind of payment is not open to these accounts.",
  wrong_offer: "The payment does not match the offer.",
  fund_short: "The fund does not hold that much.",
  voucher_expired: "This voucher has expired.",
  voucher_redeemed: "This voucher has already been redeemed.",
  payee_not_seen:
    "Its payee has not been seen since the voucher expired: you can take it back once their node has been online and written anything, or a week after it expired.",
  wrong_voucher: "This is not a valid voucher for you.",
  not_synced: "Not yet seen on the network: the payer's app has to be online once first. Try again later.",
  invalid_page: "That page of your statement could not be read; start again from your newest payments.",
};
