// Driving the test-only dishonest coordinator (tests/forger/zome): the "modified client" whose
// every forgery must be refused by validation, never by an app-level check it could skip.
import { expect } from "vitest";
import type { AgentPubKey } from "@holochain/client";
import { LedgerError, paymentToWire, retryWhile, splitLevies, type Payment, type PaymentSession } from "../../client/src/index.js";
import type { InstalledMember } from "../../scripts/village/member.js";
import type { VillageProperties } from "../../scripts/village/properties.js";

/**
 * The forger's sessions lock both chains for this long when they fail (the minimum is ~1 s). An
 * attempt that waits out an earlier one's locks still asks an honest payee within the 5 s it
 * writes first in (`early_enough_to_write_first` in the ledger zome).
 */
export const FORGED_WINDOW_MS = 3_000;

/** The refusal of a forgery, asserted to come from validation. */
async function refusalOf(attempt: Promise<unknown>): Promise<LedgerError> {
  const outcome = await attempt.then(
    () => new Error("the forgery was accepted"),
    (e: unknown) => e,
  );
  if (!(outcome instanceof LedgerError)) throw outcome;
  expect(outcome.detail, "refused by validation, not by an app-level check").toMatch(/Validation failed while committing/);
  return outcome;
}

/** A chain position, as the forger names it in a session. */
export interface ChainTop {
  hash: Uint8Array;
  seq: number;
}

export interface ForgeOptions {
  /** The session's witnesses (its first signers, in order). Without any the session is not witnessed at all. */
  witnesses?: AgentPubKey[];
  /** Those of `witnesses` asked through the honest ledger zome, first; the others are accomplices accepting anything. */
  honestWitnesses?: AgentPubKey[];
  /** The forger signs its own response without taking its chain lock (two sessions from one top at once). */
  signWithoutLock?: boolean;
  /** Chain tops for the witness to attest; the real ones when absent. */
  attested?: { payer: ChainTop; payee: ChainTop };
  /** The forger signs its own preflight response at this chain top instead of its real one. */
  signMyResponseAt?: ChainTop;
  /** Treasury spending: the fund balance named for the witness to attest. */
  fundHeld?: bigint;
  windowMs?: number;
}

function forgeInput(forged: Payment, signers: AgentPubKey[], counterpartyIsHonest: boolean, options: ForgeOptions) {
  return {
    payment: paymentToWire(forged),
    signers,
    counterparty_is_honest: counterpartyIsHonest,
    window_ms: options.windowMs ?? FORGED_WINDOW_MS,
    witnesses: options.witnesses ?? [],
    honest_witnesses: options.honestWitnesses ?? [],
    sign_without_lock: options.signWithoutLock ?? false,
    attested: options.attested ?? null,
    sign_my_response_at: options.signMyResponseAt ?? null,
    fund_held: options.fundHeld ?? null,
  };
}

/**
 * Runs a forged countersigning session from `forger` and returns whatever refuses it, waiting out
 * earlier sessions' locks. With an honest counterparty, its conductor commits first and its
 * validation judges the forger's side.
 */
export function attemptForgery(
  forger: InstalledMember,
  forged: Payment,
  signers: AgentPubKey[],
  counterpartyIsHonest: boolean,
  options: ForgeOptions = {},
): Promise<unknown> {
  const input = forgeInput(forged, signers, counterpartyIsHonest, options);
  return retryWhile(() => forger.ledger.call("forge_countersigned_payment", input, "forger"), stillLocked, Date.now() + 60_000, 500);
}

/** A colluded session's window, the longest the honest zome commits (three commits come one after another). */
const COLLUDED_WINDOW_MS = 10_000;
/** How long after its window a colluded session may take to complete by Holochain's resolution. */
const COLLUDED_RESOLUTION_WAIT_MS = 60_000;

/**
 * A payment the forger's colluding witnesses (running the forger zome, accepting anything) sign
 * with an honest payee, then committed by all three through the honest zome. With an older chain
 * top than the network has seen, this is the fork of the threat model. The commits come in the
 * attacker's best order: the honest payee first, while the forged branch is published nowhere, so
 * its conductor cannot yet have seen the fork (the honest app commits all three at once, and then
 * a payee that already saw the fork warrants and blocks the payer instead).
 */
export async function colludedPayment(
  forger: InstalledMember,
  payment: Payment,
  payee: AgentPubKey,
  witnesses: AgentPubKey[],
  attested?: { payer: ChainTop; payee: ChainTop },
): Promise<void> {
  // Attested tops named by the attacker: its own response is signed at its named top too.
  const input = forgeInput(payment, [forger.agent, payee], true, { witnesses, windowMs: COLLUDED_WINDOW_MS, attested, signMyResponseAt: attested?.payer });
  const session = await forger.ledger.call<PaymentSession>("collude", input, "forger");
  // Once every signer wrote, the session completes when the witness's signatures reach the forger,
  // or else by Holochain's resolution once the window closes (every 3 s in a village's conductors).
  // A node started from a copy is new to its peers and may lose the signatures: a fork-test CI run
  // saw both other signers unreachable 20 s after the session started.
  const completed = forger.ledger.sessionOutcome(session.responses[0]!.request.app_entry_hash, Date.now() + COLLUDED_WINDOW_MS + COLLUDED_RESOLUTION_WAIT_MS);
  completed.catch(() => {}); // awaited below, once the commits are made
  const deadline = Date.now() + COLLUDED_WINDOW_MS;
  for (const commit of ["commit_on_payee", "commit_on_witnesses", "complete_payment"]) {
    await retryWhile(() => forger.ledger.call(commit, session), stillLocked, deadline, 150);
  }
  await completed;
}

/**
 * A session signed by every signer and committed by nobody (the forger zome's `collude`): what a
 * modified coordinator gathers before it writes. Refused with the first signer's refusal.
 */
export function signedSession(forger: InstalledMember, payment: Payment, signers: AgentPubKey[], options: ForgeOptions): Promise<PaymentSession> {
  return forger.ledger.call<PaymentSession>("collude", forgeInput(payment, signers, true, options), "forger");
}

/** A forged session that must be refused by validation (see `attemptForgery`). */
export function forgeCountersigned(
  forger: InstalledMember,
  forged: Payment,
  signers: AgentPubKey[],
  counterpartyIsHonest: boolean,
  options: ForgeOptions = {},
): Promise<LedgerError> {
  return refusalOf(attemptForgery(forger, forged, signers, counterpartyIsHonest, options));
}

/** Calls one of the forger's single-author forgeries and returns validation's refusal. */
export function forgeEntry(forger: InstalledMember, fnName: string, payload: unknown = null): Promise<LedgerError> {
  return refusalOf(retryWhile(() => forger.ledger.call(fnName, payload, "forger"), stillLocked, Date.now() + 60_000, 500));
}

/**
 * An earlier forged session still holds a chain (the forger's, its accomplice's or its
 * counterparty's) until its window closes, or a commit waits for actions still on their way.
 */
function stillLocked(e: unknown): boolean {
  return (
    e instanceof LedgerError &&
    (["payment_in_progress", "lock_released"].includes(e.code) ||
      /while the chain was locked|AnotherSessionIsInProgress|ChainLocked|DepMissingFromDht/i.test(e.detail ?? e.message))
  );
}

/**
 * A drafted trade for another amount (one the honest app would not draft), every figure consistent
 * with the village's rules: levies on the payer's side, care credits spent first and kept as care.
 */
export function repriced(p: Payment, amount: bigint, village: VillageProperties): Payment {
  const forged = structuredClone(p);
  const { toPayee, toFunds } = splitLevies(
    amount,
    village.funds.map((f) => f.levy_bp),
    village.remainder_fund,
  );
  const [payer, payee] = [forged.payer, forged.payee];
  const careSpent = payer.before.care < amount ? payer.before.care : amount;
  forged.amount = amount;
  payer.after = {
    ...payer.before,
    balance: payer.before.balance - amount,
    care: payer.before.care - careSpent,
    commons: payer.before.commons.map((c, i) => c + toFunds[i]!),
  };
  const payeeBalance = payee.before.balance + toPayee;
  const payeeCare = payee.before.care + (careSpent < toPayee ? careSpent : toPayee);
  payee.after = {
    ...payee.before,
    balance: payeeBalance,
    earned: payee.before.earned + toPayee,
    care: payeeBalance <= 0n ? 0n : payeeCare < payeeBalance ? payeeCare : payeeBalance,
  };
  return forged;
}
