// The decayed value of an idle positive balance, as ledger_rules::decay computes it: each full
// period past the grace period takes rate_ppm of what is left, rounded down; debts do not decay.
// Same vectors as the Rust rule (tests/vectors/demurrage.json). Times are in seconds.
import { LedgerError } from "./errors.js";
import { MAX_DECAY_PERIODS } from "./limits.js";
import type { DemurragePolicy } from "./types.js";

export function decay(balance: bigint, idleSecs: number, policy: DemurragePolicy): { kept: bigint; toCommons: bigint } {
  if (policy.period_secs < 1 || policy.rate_ppm > 1_000_000) {
    throw new LedgerError("invalid_village", "demurrage needs a period of at least a second and a rate of at most 100 %");
  }
  if (balance <= 0n) return { kept: balance, toCommons: 0n };
  const periods = Math.min(Math.floor(Math.max(0, idleSecs - policy.grace_secs) / policy.period_secs), MAX_DECAY_PERIODS);
  let kept = balance;
  for (let i = 0; i < periods; i++) kept -= (kept * BigInt(policy.rate_ppm)) / 1_000_000n;
  return { kept, toCommons: balance - kept };
}
