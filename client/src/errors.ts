// Every refusal carries a stable code, written `[cc:<code>]` by the zomes (coordinator checks and
// integrity validation alike). The code survives the conductor's error wrapping, so it is read back here.
// The codes are one list, generated from the Rust enum `ViolationCode` (./error-codes.ts).

import { HANDLING, SENTENCES, isErrorCode, type ErrorCode, type Handling } from "./error-codes.js";
import { holochainSays } from "./holochain-messages.js";

const CODE = /\[cc:([a-z_]+)\]\s*([^"\\]*)/;

/**
 * What a zome call fails with when it released a chain lock Holochain 0.7.1 left behind just as a
 * previous session finished (the zome's `orphaned_lock` module). The chain is free again, so the
 * call can simply be made again.
 */
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
  if (holochainSays("lockReleaseRefused", text)) return new LedgerError("lock_released", RELEASED_LOCK_MESSAGE, text);
  if (holochainSays("chainLocked", text)) {
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

/** What a member is told for each code, in one sentence (generated with the codes from the Rust enum). */
export const REFUSAL_SENTENCES: Readonly<Record<ErrorCode, string>> = SENTENCES;

/** What a member is told of a refusal: its code's sentence, and the conductor's own words when it gave no code. */
export function explain(refusal: LedgerError): string {
  return refusal.code === "conductor_error" ? `${REFUSAL_SENTENCES.conductor_error} (${refusal.message})` : REFUSAL_SENTENCES[refusal.code];
}

/** How the apps treat an error (the Rust enum's `Handling`); `never_retried` for anything that is not a LedgerError. */
export function handlingOf(error: unknown): Handling {
  return error instanceof LedgerError ? HANDLING[error.code] : "never_retried";
}
