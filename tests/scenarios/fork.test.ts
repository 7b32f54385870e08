// A fork with unmodified conductors: Frank copies his stopped node (a restored backup, or one node
// run on two machines), so two conductors hold his keys and his chain. The original pays Ada; then
// the copy, still at the older chain position, tries to spend the same credit on Bea. Honest
// witnesses refuse it (stale_chain_top). Wendy, a witness who colludes, signs it anyway, and honest
// Bea's validation accepts it: both histories are valid on their own. Then the village sees the
// fork: the ledger lists Frank as forked with what he owes beyond the history it counts (the
// village total is exactly that), and every peer warrants and blocks him, so no later payment
// reaches or leaves him.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentPubKey } from "@holochain/client";
import { LedgerError, type PartyState, type Payment } from "../../client/src/index.js";
import { colludedPayment, type ChainTop } from "../harness/forger.js";
import { copyStoppedNode } from "../harness/node-copy.js";
import { FORGER_HAPP, HOUR, eventually, expectRefusal, startVillage, type RunningMember, type Village } from "../harness/index.js";
import { closeConnection, connectAdmin, connectInstalledApp, type InstalledMember } from "../../scripts/village/member.js";
import type { Conductor } from "../../scripts/village/network.js";
import { join } from "node:path";

describe("a member who copies their node and spends twice", () => {
  let village: Village;
  const member = (name: string) => village.member(name);
  const opened: InstalledMember[] = [];

  /** Frank's app on one of his two nodes, with the signing credentials both copies keep. */
  async function frankOn(conductor: Conductor): Promise<InstalledMember> {
    const admin = await connectAdmin(conductor.adminPort);
    const node = await connectInstalledApp(admin, "commons-credit", "Frank", member("Frank").agent, join(village.workDir, "frank-signing.json"));
    opened.push(node);
    return node;
  }

  async function closeNode(node: InstalledMember) {
    await closeConnection(node.app);
    await closeConnection(node.admin);
  }

  beforeAll(async () => {
    village = await startVillage({
      members: [
        { name: "Ada", role: "steward" },
        { name: "Bea" },
        { name: "Frank", happPath: FORGER_HAPP },
        // Two witnesses, each running the forger zome beside the honest one: a quorum of both signs
        // every honest payment through the honest zome, and colludes through the forger zome.
        { name: "Wendy", role: "witness", happPath: FORGER_HAPP },
        { name: "Wanda", role: "witness", happPath: FORGER_HAPP },
      ],
    });
  });
  afterAll(async () => {
    for (const node of opened) await closeNode(node);
    await copyConductor?.stop();
    await village?.stop();
  });

  /** Frank's balance as an honest member or witness reads it. */
  const frankSeenBy = (viewer: RunningMember, balance: bigint) =>
    eventually(
      () => viewer.ledger.balanceOf(member("Frank").agent),
      (b) => b === balance,
    );

  let copy: InstalledMember;
  /** Where the copy's own history stands: Frank's chain top when his node was copied. */
  let copyTop: ChainTop;
  /** Frank's side of a payment drawn on the copy's own history (what the attacker knows of it). */
  let copyBranch: PartyState;
  let copyConductor: Conductor;

  it("the copy of a node cannot spend again through an honest witness", async () => {
    await member("Frank").ledger.pay(member("Ada").agent, HOUR, "before the copy");
    // Both copies must sign with credentials granted before the copy: a grant is a chain entry.
    const beforeCopy = await frankOn(member("Frank").conductor);
    copyTop = (await beforeCopy.ledger.call<{ Ok?: ChainTop }>("chain_top", null, "forger")).Ok!;
    copyBranch = (await beforeCopy.ledger.draftPayment(member("Bea").agent, 3n * HOUR, "spent again")).payer;
    expect(copyBranch.before.balance).toBe(-HOUR);
    await closeNode(beforeCopy);
    const copied = await copyStoppedNode(member("Frank").conductor, village.workDir);

    await member("Frank").conductor.restart();
    const original = await frankOn(member("Frank").conductor);
    await original.ledger.pay(member("Ada").agent, 2n * HOUR, "paid from the original");
    // The original's payment has reached the witnesses (the copy's claim is judged against it).
    for (const viewer of [member("Bea"), ...village.witnesses]) expect(await frankSeenBy(viewer, -3n * HOUR)).toBe(-3n * HOUR);
    await closeNode(original);
    await member("Frank").conductor.stop();

    copyConductor = await copied.start();
    copy = await frankOn(copyConductor);
    const ownView = await copy.ledger.myBalance();
    expect(ownView, "the copy still stands before the original's payment").toBe(-HOUR);
    // A node started from a copy first has to reach its peers (seen once: the quote timed out).
    await eventually(
      () => copy.ledger.isReachable(member("Bea").agent),
      (reachable) => reachable,
      60_000,
    );
    await expectRefusal(copy.ledger.pay(member("Bea").agent, 3n * HOUR, "spent again"), "stale_chain_top");
    expect(await member("Bea").ledger.myBalance()).toBe(0n);
  });

  it("with a colluding quorum of witnesses the copy spends the same credit again, and honest Bea's validation accepts it", async () => {
    // The copy forks from its own history, whatever its conductor has heard since: Holochain 0.7.1
    // takes a chain's head from every accepted action of its author in the conductor's store, so
    // once the original's payment reaches the copy (CI runs: before this draft, or between it and
    // the session), the copy's own reads show the original's history. The attacker draws on the
    // copy's branch and names and signs its top.
    const drafted = await copy.ledger.draftPayment(member("Bea").agent, 3n * HOUR, "spent again");
    const again: Payment = { ...drafted, payer: copyBranch };
    const beaTop = (await member("Bea").ledger.call<{ Ok?: { top: ChainTop } }>("quote_receipt", null)).Ok!.top;
    await colludedPayment(copy, again, member("Bea").agent, [village.witness("Wendy").agent, village.witness("Wanda").agent], {
      payer: copyTop,
      payee: beaTop,
    });
    const [received] = (await member("Bea").ledger.history()).filter((r) => r.payment.memo === "spent again");
    expect(received?.payment.payer.before.balance, "honest Bea accepted a payment drawn on credit the original had spent").toBe(-HOUR);
    expect(await member("Bea").ledger.myBalance()).toBe(3n * HOUR);
  });

  it("the ledger names Frank as forked and what he owes; the village total is exactly that", async () => {
    for (const viewer of ["Ada", "Bea"]) {
      const view = await eventually(
        () => member(viewer).ledger.villageLedger(),
        (v) =>
          v.forks[0]?.branches === 2 &&
          v.lines.find((l) => l.name === "Bea")?.balance === 3n * HOUR &&
          v.lines.find((l) => l.name === "Ada")?.balance === 3n * HOUR,
        120_000,
      );
      const [fork] = view.forks;
      const frank = view.lines.find((l) => l.name === "Frank")!;
      expect(fork!.name).toBe("Frank");
      expect(fork!.branches).toBe(2);
      // One history is counted on Frank's line (-3 h or -4 h); he owes what the other paid out.
      expect(frank.balance - fork!.owes, "his line and what he owes add up to both histories' debits").toBe(-6n * HOUR);
      expect([2n * HOUR, 3n * HOUR]).toContain(fork!.owes);
      expect(view.total, "the village is off by exactly what Frank owes").toBe(fork!.owes);
    }
  });

  it("peers warrant the fork and block Frank: nobody answers his payments, and nobody can pay him", async () => {
    await eventually(
      () => member("Ada").ledger.villageLedger(),
      (v) => v.forks.some((f) => f.name === "Frank" && f.warranted),
      120_000,
    );
    // A conductor that integrates a valid warrant blocks the warranted agent on the network. Honest
    // witnesses would refuse him anyway (stale_chain_top: forked or warranted); blocked, none of his
    // requests is answered (the first to time out is the app's read of the register).
    const fromFrank = await copy.ledger.pay(member("Ada").agent, HOUR, "after the fork").then(
      () => "paid",
      (e: unknown) => e,
    );
    expect(fromFrank).toBeInstanceOf(LedgerError);
    expect((fromFrank as LedgerError).detail).toMatch(/timeout|could not be reached|no village witness answered/);
    const frankKey: AgentPubKey = member("Frank").agent;
    await expectRefusal(member("Bea").ledger.pay(frankKey, HOUR, "to a forked member"), "counterparty_offline");
    expect(await member("Bea").ledger.myBalance()).toBe(3n * HOUR);
    expect(await member("Ada").ledger.myBalance()).toBe(3n * HOUR);
  });
});
