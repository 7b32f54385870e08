// The levy split of a payment, as ledger_rules::split_levies computes it (the UI shows it before paying):
// the total levy rounded down once, each fund's share rounded down, the remainder to one named
// fund, so payee + funds == amount exactly. Same vectors as the Rust rule (tests/vectors/levies.json).
import { MAX_AMOUNT } from "./amounts.js";
import { LedgerError } from "./errors.js";

export const WHOLE_BP = 10_000n;

export interface LevySplit {
  toPayee: bigint;
  toFunds: bigint[];
}

export function splitLevies(amount: bigint, ratesBp: readonly number[], remainderFund: number): LevySplit {
  if (amount <= 0n || amount > MAX_AMOUNT) throw new LedgerError("invalid_amount", `amount must be positive and at most ${MAX_AMOUNT}, got ${amount}`);
  const totalBp = ratesBp.reduce((sum, bp) => sum + BigInt(bp), 0n);
  if (totalBp > WHOLE_BP) throw new LedgerError("invalid_village", `levies add up to ${totalBp} bp, more than 100 %`);
  if (ratesBp.length > 0 && (remainderFund < 0 || remainderFund >= ratesBp.length)) {
    throw new LedgerError("invalid_village", `remainder fund ${remainderFund} does not exist`);
  }
  const share = (bp: bigint) => (amount * bp) / WHOLE_BP;
  const total = share(totalBp);
  const toFunds = ratesBp.map((bp) => share(BigInt(bp)));
  if (toFunds.length > 0) toFunds[remainderFund]! += total - toFunds.reduce((a, b) => a + b, 0n);
  return { toPayee: amount - total, toFunds };
}
