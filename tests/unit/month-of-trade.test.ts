// The simulated village's month (scripts/village/month-of-trade.ts): the same seed gives the same
// month, in the seed's mix, and every payment it plans is one the village's rules allow when the
// month is played in order (checked here against an independent replay of balances and funds).
import { describe, expect, it } from "vitest";
import { splitLevies } from "../../client/src/index.js";
import { SEED_PROPERTIES } from "../../scripts/village/properties.js";
import { MIX, planMonth, villageRoster, type PlannedKind } from "../../scripts/village/month-of-trade.js";

const village = SEED_PROPERTIES;
const LEVIED: PlannedKind[] = ["purchase", "wage", "favour", "stewardship"];

describe("a simulated village's month of trade", () => {
  const month = planMonth(500, 33_000, village, 7);

  it("names a village of 500: the treasury, the cash desk, 20 co-ops and the people", () => {
    const roster = villageRoster(500);
    expect(roster.names).toHaveLength(500);
    expect(new Set(roster.names).size).toBe(500);
    expect(roster.coOps).toHaveLength(20);
    expect(roster.people).toHaveLength(478);
    expect(() => villageRoster(3)).toThrow(/at least 8/);
  });

  it("is the same month for the same seed and another for another seed", () => {
    expect(planMonth(500, 2_000, village, 7).payments).toEqual(month.payments.slice(0, 2_000));
    expect(planMonth(500, 2_000, village, 8).payments).not.toEqual(month.payments.slice(0, 2_000));
  });

  it("has the seed's mix: every kind of payment, near its share", () => {
    expect(month.payments).toHaveLength(33_000);
    for (const [kind, share] of Object.entries(MIX)) {
      const n = month.payments.filter((p) => p.kind === kind).length;
      expect(n, kind).toBeGreaterThan(0);
      expect(Math.abs((100 * n) / month.payments.length - share), `${kind}: ${n}`).toBeLessThan(share / 2 + 2);
    }
  });

  it("plans only payments the village's limits allow, played in order", () => {
    const { roster } = month;
    const balance = roster.names.map(() => 0n);
    const cashedIn = roster.names.map(() => 0n);
    const earned = roster.names.map(() => 0n);
    const funds = village.funds.map(() => 0n);
    const isMember = (i: number) => i !== roster.treasury && i !== roster.boundary;
    // The floor widens with what a member earned (limits_for in ledger_rules), down to the cap.
    const floorOf = (i: number) => {
      const widened = BigInt(village.limits.floor) - (earned[i]! * BigInt(village.limits.contribution_bp)) / 10_000n;
      return widened < BigInt(village.limits.floor_cap) ? BigInt(village.limits.floor_cap) : widened;
    };
    const ceiling = BigInt(village.limits.ceiling);
    for (const [n, p] of month.payments.entries()) {
      expect(p.payer, `payment ${n}`).not.toBe(p.payee);
      expect(p.amount > 0n, `payment ${n}`).toBe(true);
      const payerFloor = floorOf(p.payer);
      let credited = p.amount;
      if (LEVIED.includes(p.kind)) {
        const split = splitLevies(
          p.amount,
          village.funds.map((f) => f.levy_bp),
          village.remainder_fund,
        );
        for (const [f, levy] of split.toFunds.entries()) funds[f]! += levy;
        credited = split.toPayee;
      }
      if (p.kind === "treasury-spend") {
        funds[p.fund]! -= p.amount;
        expect(funds[p.fund]! >= 0n, `payment ${n}: the fund covers the spending`).toBe(true);
      } else {
        balance[p.payer]! -= p.amount;
      }
      balance[p.payee]! += credited;
      if (p.kind === "cash-in") cashedIn[p.payee]! += credited;
      else if (p.kind !== "cash-out") earned[p.payee]! += credited;
      if (p.kind === "cash-out") {
        cashedIn[p.payer]! -= p.amount;
        expect(cashedIn[p.payer]! >= 0n, `payment ${n}: only cash bought leaves as cash`).toBe(true);
      }
      if (p.kind === "purchase") expect(month.offers[p.offer]!.coOp).toBe(p.payee);
      if (isMember(p.payer)) expect(balance[p.payer]! >= payerFloor, `payment ${n}: payer above its floor`).toBe(true);
      if (isMember(p.payee)) expect(balance[p.payee]! <= ceiling, `payment ${n}: payee below its ceiling`).toBe(true);
    }
  });
});
