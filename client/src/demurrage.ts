// The decayed value of an idle positive balance, as ledger_rules::decay computes it (issue #3
// groundwork): each full period past the grace period takes rate_ppm of what is left, rounded
// down; debts do not decay. Same vectors as the Rust rule (tests/vectors/demurrage.json).
import { LedgerError } from "./errors.js";

export interface DemurragePolicy {
  grace_days: number;
  period_days: number;
  rate_ppm: number;
}

/** Upper bound on decay steps (a century of monthly steps), as in the Rust rule. */
export const MAX_DECAY_PERIODS = 1_200;

export function decay(balance: bigint, idleDays: number, policy: DemurragePolicy): { kept: bigint; toCommons: bigint } {
  if (policy.period_days < 1 || policy.rate_ppm > 1_000_000) {
    throw new LedgerError("invalid_village", "demurrage needs a period of at least a day and a rate of at most 100 %");
  }
  if (balance <= 0n) return { kept: balance, toCommons: 0n };
  const periods = Math.min(Math.floor(Math.max(0, idleDays - policy.grace_days) / policy.period_days), MAX_DECAY_PERIODS);
  let kept = balance;
  for (let i = 0; i < periods; i++) kept -= (kept * BigInt(policy.rate_ppm)) / 1_000_000n;
  return { kept, toCommons: balance - kept };
}
