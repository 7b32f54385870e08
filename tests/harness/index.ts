// The thin scenario harness tryorama would have been for Holochain 0.7: villages of real
// conductors (scripts/village), plus waiting and refusal helpers for assertions.
import { expect } from "vitest";
import type { AgentPubKey } from "@holochain/client";
import { LedgerError, partiesSigning, retryWhile, type ErrorCode, type PaymentSession } from "../../client/src/index.js";

export {
  startVillage,
  DEFAULT_WITNESS,
  FORGER_HAPP,
  PLAIN_PROPERTIES,
  SEED_PROPERTIES,
  type RunningMember,
  type Village,
  type VillageProperties,
} from "../../scripts/village/village.js";

/** 1 h in units of the default village (5 decimals). */
export const HOUR = 100_000n;

/**
 * Polls `read` until `accept` holds; returns the last value either way so the assertion shows it.
 * A read that fails (data still travelling between peers) is read again; if no read ever
 * succeeded by the deadline, the last failure is thrown.
 */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | undefined;
  let failure: unknown;
  for (;;) {
    try {
      last = { value: await read() };
      if (accept(last.value)) return last.value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  if (last) return last.value;
  throw failure;
}

/** Asserts the promise is refused with exactly this code (never "some error": a dead conductor errors too). */
export async function expectRefusal(promise: Promise<unknown>, code: ErrorCode): Promise<LedgerError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a refusal with code ${code}, but it succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error, String(error)).toBeInstanceOf(LedgerError);
  expect((error as LedgerError).code, (error as LedgerError).detail ?? (error as LedgerError).message).toBe(code);
  return error as LedgerError;
}

/** The witnesses a payment session names: its request's signers before its parties (`session_witnesses` in the zome). */
export function sessionWitnesses(session: PaymentSession): AgentPubKey[] {
  const { request } = session.responses[0] as unknown as { request: { signing_agents: [AgentPubKey, unknown][] } };
  return request.signing_agents.slice(0, -partiesSigning(session)).map(([agent]) => agent);
}

/** Runs `attempt` again while the chain is still locked by an earlier (failed) session. */
export function retryWhileBusy<T>(attempt: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const busy = (error: unknown) => error instanceof LedgerError && ["payment_in_progress", "lock_released"].includes(error.code);
  return retryWhile(attempt, busy, Date.now() + timeoutMs, 500);
}
