// Runs first (scripts/test.sh): if peers cannot reach each other, or countersigning does not
// complete with the village witness online, nothing after this means anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR, eventually, startVillage, type Village } from "../harness/index.js";

describe("network smoke test", () => {
  let village: Village;
  beforeAll(async () => {
    village = await startVillage({ members: [{ name: "Ana" }, { name: "Ben" }, { name: "Cai" }] });
  });
  afterAll(() => village?.stop());

  it("a record one peer writes is read by another through the DHT", async () => {
    // Each member wrote its membership link at join; every peer sees all three.
    for (const m of village.members) {
      const names = (await m.ledger.members()).map((x) => x.name).sort();
      expect(names).toEqual(["Ana", "Ben", "Cai"]);
    }
  });

  it("one countersigned payment completes, witnessed by the village witness", async () => {
    const [ana, ben] = village.members;
    const receipt = await ana!.ledger.pay(ben!.agent, HOUR, "smoke");
    expect(receipt.payment.amount).toBe(HOUR);
    expect(await ana!.ledger.myBalance()).toBe(-HOUR);
    expect(await ben!.ledger.myBalance()).toBe(HOUR);
    const seenByCai = await eventually(
      () => village.member("Cai").ledger.balanceOf(ben!.agent),
      (b) => b === HOUR,
    );
    expect(seenByCai).toBe(HOUR);
  });
});
