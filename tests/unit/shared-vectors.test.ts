// The TypeScript side of the vectors ledger_rules also runs: what the page computes must be what
// validation computes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LedgerError, decay, splitLevies, witnessQuorum } from "../../client/src/index.js";

const vectors = (name: string) => JSON.parse(readFileSync(new URL(`../vectors/${name}.json`, import.meta.url), "utf8"));

describe("levy splits match the Rust rule's vectors", () => {
  const { splits, refusals } = vectors("levies");
  for (const v of splits) {
    it(v.name, () => {
      const split = splitLevies(BigInt(v.amount), v.rates_bp, v.remainder_fund);
      expect(split).toEqual({ toPayee: BigInt(v.to_payee), toFunds: v.to_funds.map(BigInt) });
      expect(split.toPayee + split.toFunds.reduce((a, b) => a + b, 0n)).toBe(BigInt(v.amount));
    });
  }
  for (const v of refusals) {
    it(`refuses: ${v.name}`, () => {
      const refusal = (() => {
        try {
          splitLevies(BigInt(v.amount), v.rates_bp, v.remainder_fund);
        } catch (e) {
          return e;
        }
      })();
      expect(refusal).toBeInstanceOf(LedgerError);
      expect((refusal as LedgerError).code).toBe(v.code);
    });
  }
});

describe("demurrage matches the Rust rule's vectors", () => {
  const { policy, cases } = vectors("demurrage");
  for (const c of cases) {
    it(c.name, () => {
      expect(decay(BigInt(c.balance), c.idle_secs, policy)).toEqual({ kept: BigInt(c.kept), toCommons: BigInt(c.to_commons) });
    });
  }
});

describe("witness quorums match the Rust rule's vectors", () => {
  for (const c of vectors("quorum").cases) {
    it(`${c.witnesses} witnesses: ${c.quorum} sign each payment`, () => {
      expect(witnessQuorum(c.witnesses)).toBe(c.quorum);
    });
  }
});
