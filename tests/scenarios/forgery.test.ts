// The modified client: Mallory and her accomplice Trent run the forger coordinator
// (dna/zomes/forger), which commits whatever payment it is handed and skips every honest check.
// Same integrity zome, so same DNA and network. Each forgery must be refused by validation, with
// its violation code: on Mallory's own conductor, or, when honest Iris is the counterparty, by
// Iris's conductor judging Mallory's side of the entry. Honest peers' ledgers never change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentPubKey } from "@holochain/client";
import { paymentToWire, type LedgerError, type Payment } from "../../client/src/index.js";
import { forgeCountersigned, repriced } from "../harness/forger.js";
import { FORGER_HAPP, HOUR, PLAIN_PROPERTIES, eventually, retryWhileBusy, startVillage, type Village } from "../harness/index.js";

describe("a modified client's forged payments are rejected by validation", () => {
  let village: Village;
  const member = (name: string) => village.member(name);

  beforeAll(async () => {
    village = await startVillage({
      members: [{ name: "Mallory", happPath: FORGER_HAPP }, { name: "Trent", happPath: FORGER_HAPP }, { name: "Iris" }, { name: "Wren" }],
    });
    // Two honest payments give Mallory a history to replay.
    await member("Mallory").ledger.pay(member("Trent").agent, HOUR, "honest one");
    await member("Mallory").ledger.pay(member("Trent").agent, HOUR, "honest two");
  });
  afterAll(() => village?.stop());

  /** The entry an honest payment from Mallory would commit now (drafted by the honest zome), to alter. */
  function draft(payee: string, amount = HOUR): Promise<Payment> {
    return member("Mallory").ledger.draftPayment(member(payee).agent, amount, "forged");
  }

  const agents = () => ({ mallory: member("Mallory").agent, trent: member("Trent").agent, iris: member("Iris").agent });

  const forge = (forged: Payment, signers: AgentPubKey[], counterpartyIsHonest: boolean) =>
    forgeCountersigned(member("Mallory"), forged, signers, counterpartyIsHonest);

  async function expectLedgerUnchanged() {
    const expected = { Mallory: -2n * HOUR, Trent: 2n * HOUR, Iris: 0n, Wren: 0n };
    const view = await eventually(
      () => member("Wren").ledger.villageLedger(),
      (v) => v.lines.every((l) => expected[l.name as keyof typeof expected] === l.balance),
    );
    expect(Object.fromEntries(view.lines.map((l) => [l.name, l.balance]))).toEqual(expected);
    expect(view.total).toBe(0n);
  }

  it("a payment committed without countersignature (naming Iris, who never signed) is rejected", async () => {
    const error = await member("Mallory").ledger.call("forge_plain_payment", paymentToWire(await draft("Iris")), "forger").then(
      () => { throw new Error("accepted"); },
      (e: LedgerError) => e,
    );
    expect(error.code, error.detail).toBe("not_countersigned");
    expect(error.detail).toMatch(/Validation failed while committing/);
    await expectLedgerUnchanged();
  });

  it("a countersigned payment naming a counterparty who did not sign the session is rejected", async () => {
    const error = await forge(await draft("Iris"), [agents().mallory, agents().trent], false);
    expect(error.code, error.detail).toBe("forged_counterparty");
    await expectLedgerUnchanged();
  });

  it("a payment with a wrong resulting balance is rejected by the forger's own conductor", async () => {
    const forged = await draft("Trent");
    forged.payee.after.balance += 5n * HOUR; // the accomplice credited more than Mallory paid
    const error = await forge(forged, [agents().mallory, agents().trent], false);
    expect(error.code, error.detail).toBe("wrong_balance");
    await expectLedgerUnchanged();
  });

  // From here on the counterparty is honest Iris: her conductor commits first and its validation
  // judges Mallory's side of the entry. Even a conductor Mallory modified to skip its own
  // validation could not get these onto Iris's chain.

  it("honest Iris's conductor rejects a payment in which the payer keeps more than she should", async () => {
    const forged = await draft("Iris");
    forged.payer.after.balance += HOUR; // Mallory pays 1 h but records her balance as unchanged
    const error = await forge(forged, [agents().mallory, agents().iris], true);
    expect(error.code, error.detail).toBe("wrong_balance");
    await expectLedgerUnchanged();
  });

  it("honest Iris's conductor rejects a payment taking the payer past her floor, arithmetic consistent", async () => {
    const forged = repriced(await draft("Iris"), 19n * HOUR, PLAIN_PROPERTIES); // -2 h - 19 h < -20 h
    const error = await forge(forged, [agents().mallory, agents().iris], true);
    expect(error.code, error.detail).toBe("over_floor");
    await expectLedgerUnchanged();
  });

  it("honest Iris's conductor rejects a payment replaying the payer's earlier previous payment", async () => {
    const history = await member("Mallory").ledger.history(); // newest first
    // Mallory names her first payment and the -1 h it left, as if the second never happened.
    const replayed = await draft("Iris");
    replayed.payer.previous_payment = history[1]!.action_hash;
    replayed.payer.before.balance = -HOUR;
    replayed.payer.after.balance = -2n * HOUR;
    const error = await forge(replayed, [agents().mallory, agents().iris], true);
    expect(error.code, error.detail).toBe("broken_continuity");
    await expectLedgerUnchanged();
  });

  it("honest Iris's conductor rejects a payment whose payer invents her starting balance", async () => {
    const invented = await draft("Iris");
    invented.payer.before.balance = 5n * HOUR;
    invented.payer.after.balance = 4n * HOUR;
    const error = await forge(invented, [agents().mallory, agents().iris], true);
    expect(error.code, error.detail).toBe("broken_continuity");
    await expectLedgerUnchanged();
    // Iris is not left locked or half-written: she takes an honest payment once the window closed.
    await retryWhileBusy(() => member("Wren").ledger.pay(member("Iris").agent, HOUR / 2n, "honest, after the forgeries"));
    expect(await member("Iris").ledger.myBalance()).toBe(HOUR / 2n);
  });
});
