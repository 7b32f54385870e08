// The village ledger on real conductors: the seed ledger of domain rule 5, credit limits, clear
// refusals that change nothing, and concurrent payments that cannot overspend together.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentPubKey } from "@holochain/client";
import { LedgerError } from "../../client/src/index.js";
import { HOUR, eventually, expectRefusal, startVillage, type Village } from "../harness/index.js";

const HALF = HOUR / 2n;
const CONCURRENT_ROUNDS = 4;

describe("a village ledger on real conductors", () => {
  let village: Village;
  const agent = (name: string): AgentPubKey => village.member(name).agent;
  const ledger = (name: string) => village.member(name).ledger;

  /** Every member's balance as `viewer` reads it from the DHT, by name, once it shows `expected`. */
  async function balancesSeenBy(viewer: string, expected: Record<string, bigint>) {
    const read = async () => {
      const view = await ledger(viewer).villageLedger();
      return { balances: Object.fromEntries(view.lines.map((l) => [l.name, l.balance])), total: view.total };
    };
    return eventually(read, (v) => Object.entries(expected).every(([name, b]) => v.balances[name] === b), 60_000);
  }

  beforeAll(async () => {
    village = await startVillage({ members: [{ name: "Iris" }, { name: "Marcus" }, { name: "Yuki" }, { name: "Sam" }] });
  });
  afterAll(() => village?.stop());

  it("reproduces the seed ledger, and every agent computes the same balances summing to zero", async () => {
    await ledger("Marcus").pay(agent("Iris"), HOUR, "Iris fixes Marcus's bike");
    await ledger("Yuki").pay(agent("Marcus"), HALF, "Marcus bakes bread for Yuki");
    await ledger("Sam").pay(agent("Yuki"), HOUR, "Yuki teaches Sam piano");
    await ledger("Iris").pay(agent("Sam"), HALF, "Sam helps Iris move");

    const expected = { Iris: HALF, Marcus: -HALF, Yuki: HALF, Sam: -HALF };
    for (const viewer of ["Iris", "Marcus", "Yuki", "Sam"]) {
      const seen = await balancesSeenBy(viewer, expected);
      expect(seen.balances, `as seen by ${viewer}`).toEqual(expected);
      expect(seen.total, `total as seen by ${viewer}`).toBe(0n);
    }
    const iris = await ledger("Iris").history();
    expect(iris.map((r) => r.payment.memo)).toEqual(["Sam helps Iris move", "Iris fixes Marcus's bike"]);
    expect(iris[0]!.payment.payer.previous_payment).toEqual(iris[1]!.action_hash);
  });

  it("two disjoint pairs pay at the same moment through the one village witness, round after round, and every payment completes", async () => {
    // The witness signs one session at a time; the second payer asks again while it is busy. Each
    // round's payments start as the last round's sessions finish, when Holochain can leave a chain
    // locked with no session to own it (the zome's orphaned_lock module releases it): once, that
    // left the witness refusing every later payment.
    const both = () => ({ Iris: HALF, Marcus: -HALF, Yuki: HALF, Sam: -HALF });
    for (let round = 1; round <= CONCURRENT_ROUNDS; round++) {
      const there = await Promise.all([
        ledger("Iris").pay(agent("Marcus"), HOUR, `round ${round}, 1`),
        ledger("Yuki").pay(agent("Sam"), HOUR, `round ${round}, 2`),
      ]);
      const back = await Promise.all([
        ledger("Marcus").pay(agent("Iris"), HOUR, `round ${round}, 3`),
        ledger("Sam").pay(agent("Yuki"), HOUR, `round ${round}, 4`),
      ]);
      expect([...there, ...back].map((r) => r.payment.amount)).toEqual([HOUR, HOUR, HOUR, HOUR]);
    }
    const seen = await balancesSeenBy("Sam", both());
    expect(seen.balances).toEqual(both());
    expect(seen.total).toBe(0n);
  });

  it("refuses a payment past the payer's floor, with a clear error, and changes nothing", async () => {
    // Sam is at -0.5 h; the floor is -20 h.
    const error = await expectRefusal(ledger("Sam").pay(agent("Marcus"), 19n * HOUR + 60_000n), "over_floor");
    expect(error.message).toMatch(/below its floor/);
    expect(await ledger("Sam").myBalance()).toBe(-HALF);
    expect(await ledger("Marcus").myBalance()).toBe(-HALF);
    // Nothing is left locked: Sam can pay right away, up to exactly the floor.
    await ledger("Sam").pay(agent("Marcus"), 19n * HOUR + HALF, "to the floor");
    expect(await ledger("Sam").myBalance()).toBe(-20n * HOUR);
    await ledger("Marcus").pay(agent("Sam"), 19n * HOUR + HALF, "and back");
  });

  it("refuses a payment past the payee's ceiling, with a clear error, and changes nothing", async () => {
    // Yuki is at +0.5 h; the ceiling is +20 h. Iris (+0.5 h) has room to pay 19.6 h.
    await expectRefusal(ledger("Iris").pay(agent("Yuki"), 19n * HOUR + 60_000n), "over_ceiling");
    expect(await ledger("Iris").myBalance()).toBe(HALF);
    expect(await ledger("Yuki").myBalance()).toBe(HALF);
  });

  it("refuses bad input clearly before anything is written", async () => {
    await expectRefusal(ledger("Iris").pay(agent("Iris"), HOUR), "self_payment");
    await expectRefusal(ledger("Iris").pay(agent("Marcus"), 0n), "invalid_amount");
    await expectRefusal(ledger("Iris").pay(agent("Marcus"), -HOUR), "invalid_amount");
    const stranger = await village.member("Iris").admin.generateAgentPubKey();
    await expectRefusal(ledger("Iris").pay(stranger, HOUR), "unknown_member");
    expect(await ledger("Iris").history()).toHaveLength(2 + 2 * CONCURRENT_ROUNDS); // the seed ledger's two and two a concurrent round;
  });

  it("reads a statement a page at a time, the same payments as the whole history, and refuses a page it cannot give", async () => {
    const whole = await ledger("Iris").history();
    const hashes = (records: { action_hash: Uint8Array }[]) => records.map((r) => Buffer.from(r.action_hash).toString("base64"));
    const paged: typeof whole = [];
    let page = await ledger("Iris").historyPage(undefined, 3);
    for (;;) {
      expect(page.records.length, "a page holds at most its limit").toBeLessThanOrEqual(3);
      paged.push(...page.records);
      if (!page.more) break;
      expect(page.records).toHaveLength(3);
      page = await ledger("Iris").historyPage(page.records.at(-1)!.action_hash, 3);
    }
    expect(hashes(paged)).toEqual(hashes(whole));
    expect(hashes((await ledger("Iris").recentHistory(4)).records)).toEqual(hashes(whole.slice(0, 4)));
    const everything = await ledger("Iris").recentHistory(whole.length);
    expect([everything.records.length, everything.more]).toEqual([whole.length, false]);
    await expectRefusal(ledger("Iris").historyPage(undefined, 0), "invalid_page");
    await expectRefusal(ledger("Iris").historyPage(undefined, 101), "invalid_page");
    // A page starts after one of the reader's own payments, not another member's.
    const [marcusLatest] = await ledger("Marcus").history();
    await expectRefusal(ledger("Iris").historyPage(marcusLatest!.action_hash, 3), "not_a_payment");
  });

  it("two payments launched at once by the same payer cannot together overspend the floor", async () => {
    // Iris is at +0.5 h: either payment alone fits above the -20 h floor, both together do not.
    const outcomes = await Promise.allSettled([
      ledger("Iris").pay(agent("Marcus"), 15n * HOUR, "first of two"),
      ledger("Iris").pay(agent("Yuki"), 15n * HOUR, "second of two"),
    ]);
    const succeeded = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(succeeded).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(LedgerError);
    expect(["payment_in_progress", "lock_released", "stale_state", "over_floor", "stale_chain_top"]).toContain((refused[0]!.reason as LedgerError).code);
    expect(await ledger("Iris").myBalance()).toBe(HALF - 15n * HOUR);

    const winner = succeeded[0]!.value.payment.memo === "first of two" ? "Marcus" : "Yuki";
    const expected: Record<string, bigint> = { Iris: HALF - 15n * HOUR, Marcus: -HALF, Yuki: HALF, Sam: -HALF };
    expected[winner]! += 15n * HOUR;
    const final = await balancesSeenBy("Sam", expected);
    expect(final.balances).toEqual(expected);
    expect(final.total).toBe(0n);
  });

  it("a payment to a member whose conductor is offline fails within the 10 s request timeout with counterparty_offline", async () => {
    const sam = village.member("Sam");
    await sam.conductor.stop();
    const started = Date.now();
    await expectRefusal(ledger("Marcus").pay(sam.agent, HOUR), "counterparty_offline");
    console.log(`counterparty_offline reported after ${Date.now() - started} ms`);
    // Marcus's chain was never locked: he can pay Yuki at once (the village witness is online).
    await ledger("Marcus").pay(agent("Yuki"), HALF, "after the failed one");
  });

  it("with no village witness online, a payment is refused with no_witness_online and locks nothing", async () => {
    // Every payment is witnessed by one of the village's witnesses (the session's enzyme, which
    // gathers the signatures): without one the payer refuses up front, before locking anything.
    const before = [await ledger("Marcus").myBalance(), await ledger("Yuki").myBalance()];
    for (const witness of village.witnesses) await witness.conductor.stop();
    await expectRefusal(ledger("Marcus").pay(agent("Yuki"), HALF), "no_witness_online");
    expect([await ledger("Marcus").myBalance(), await ledger("Yuki").myBalance()]).toEqual(before);
  });
});
