// A payer's conductor killed in the middle of a payment and started again: no half payment and no
// locked chain. The payee and the witness commit first and the payer last (LedgerClient), so the
// kill lands either before the payer wrote anything (the payment then happens nowhere: the payee
// and witness ask the payer, hear it never wrote it, and abandon) or after it wrote its side too
// (the payment then completes on all three). Either way the payer pays again within seconds.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntryHash } from "@holochain/client";
import { LedgerError, retryWhile } from "../../client/src/index.js";
import { closeConnection, connectAdmin, connectInstalledApp, type InstalledMember } from "../../scripts/village/member.js";
import { DEFAULT_WITNESS, HOUR, eventually, startVillage, type Village } from "../harness/index.js";

/** How soon after its restart the payer must be able to pay again. */
const PAYS_AGAIN_WITHIN_MS = 15_000;

interface Session {
  payment: unknown;
  responses: { request: { app_entry_hash: EntryHash } }[];
}

describe("a payer's conductor killed mid-payment", () => {
  let village: Village;
  const member = (name: string) => village.member(name);
  const opened: InstalledMember[] = [];
  let ana: InstalledMember;

  /** Ana's app, signing with credentials granted once (a grant is a chain write, refused while locked). */
  async function anaOnHerConductor(): Promise<InstalledMember> {
    const admin = await connectAdmin(member("Ana").conductor.adminPort);
    const node = await connectInstalledApp(admin, "commons-credit", "Ana", member("Ana").agent, join(village.workDir, "ana-signing.json"));
    opened.push(node);
    return node;
  }

  async function killAndRestartAna(): Promise<void> {
    const conductor = member("Ana").conductor;
    const exited = new Promise((resolve) => conductor.running.process.once("exit", resolve));
    conductor.running.process.kill("SIGKILL");
    await exited;
    await conductor.restart();
    ana = await anaOnHerConductor();
  }

  /** The witness a session names (its first signer), by name. */
  const witnessOf = (session: Session) => {
    const key = (session.responses[0] as unknown as { request: { signing_agents: [Uint8Array, unknown][] } }).request.signing_agents[0]![0];
    return village.witnesses.find((w) => Buffer.from(w.agent).equals(Buffer.from(key)))!.name;
  };
  const busyPayee = (e: unknown) => e instanceof LedgerError && /payment_in_progress|stale_state|session_timeout/.test(e.code);

  /** Whether an agent's own chain holds the payment (its `holds_payment`, asked of its own conductor). */
  const holds = async (who: InstalledMember, entryHash: EntryHash) =>
    ((await who.ledger.call<{ Ok?: boolean }>("holds_payment", entryHash)).Ok ?? false);

  /**
   * Ana pays Cai once her chain is free: it must be within seconds of her restart. (Ben, like the
   * witness of the interrupted session, holds it until its window closes and he has asked Ana.)
   */
  async function anaPaysAgain(memo: string): Promise<number> {
    const restarted = Date.now();
    const busy = (e: unknown) => e instanceof LedgerError && /payment_in_progress|stale_state|session_timeout/.test(e.code);
    await retryWhile(() => ana.ledger.pay(member("Cai").agent, HOUR / 10n, memo), busy, restarted + PAYS_AGAIN_WITHIN_MS, 500);
    return Date.now() - restarted;
  }

  beforeAll(async () => {
    // Two witnesses, as on a village box: while one still holds the interrupted session (until its
    // window closes and it has asked Ana), Ana's next payment goes through the other.
    village = await startVillage({
      members: [{ name: "Ana" }, { name: "Ben" }, { name: "Cai" }, { name: "Witness two", role: "witness" }, DEFAULT_WITNESS],
    });
    ana = await anaOnHerConductor();
    await ana.ledger.pay(member("Ben").agent, HOUR, "before the crashes");
  });
  afterAll(async () => {
    for (const node of opened) {
      await closeConnection(node.app);
      await closeConnection(node.admin);
    }
    await village?.stop();
  });

  it("killed after the others committed but before its own commit: the payment happens nowhere", async () => {
    const session = await ana.ledger.call<Session>("start_payment", { payee: member("Ben").agent, amount: 2n * HOUR, memo: "interrupted", kind: { type: "Trade" } });
    const entryHash = session.responses[0]!.request.app_entry_hash;
    await Promise.all([ana.ledger.call("commit_on_payee", session), ana.ledger.call("commit_on_witness", session)]);
    await killAndRestartAna();
    expect(await holds(ana, entryHash), "Ana's chain never held it").toBe(false);
    const tookMs = await anaPaysAgain("after the restart");
    expect(tookMs).toBeLessThan(PAYS_AGAIN_WITHIN_MS);
    // Ben and the witness hear from Ana that she never wrote it, and drop it: it is nowhere, and
    // Ben takes payments again.
    const witness = village.witness(witnessOf(session));
    await eventually(async () => (await holds(member("Ben"), entryHash)) || (await holds(witness, entryHash)), (held) => !held, 60_000);
    await retryWhile(() => member("Cai").ledger.pay(member("Ben").agent, HOUR / 10n, "Ben is free again"), busyPayee, Date.now() + 60_000, 500);
    const view = await eventually(
      () => member("Cai").ledger.villageLedger(),
      (v) => v.lines.find((l) => l.name === "Ben")?.balance === HOUR + HOUR / 10n,
    );
    expect(view.lines.find((l) => l.name === "Ana")?.balance).toBe(-(HOUR + HOUR / 10n));
    expect(view.total).toBe(0n);
  });

  it("killed after writing its own side too: the payment completes on all three chains", async () => {
    const session = await ana.ledger.call<Session>("start_payment", { payee: member("Ben").agent, amount: 3n * HOUR, memo: "completed", kind: { type: "Trade" } });
    const entryHash = session.responses[0]!.request.app_entry_hash;
    await Promise.all([ana.ledger.call("commit_on_payee", session), ana.ledger.call("commit_on_witness", session)]);
    await ana.ledger.call("complete_payment", session);
    await killAndRestartAna();
    const tookMs = await anaPaysAgain("after the second restart");
    expect(tookMs).toBeLessThan(PAYS_AGAIN_WITHIN_MS);
    const witness = village.witness(witnessOf(session));
    for (const who of [ana, member("Ben"), witness]) {
      await eventually(() => holds(who, entryHash), (held) => held, 60_000);
    }
    // Ana: -1 (before) -0.1 -0.1 (to Cai after each restart) -3; Ben: +1 +0.1 (from Cai) +3.
    const view = await eventually(
      () => member("Cai").ledger.villageLedger(),
      (v) => v.lines.find((l) => l.name === "Ben")?.balance === HOUR + HOUR / 10n + 3n * HOUR,
    );
    expect(view.lines.find((l) => l.name === "Ana")?.balance).toBe(-(HOUR + (2n * HOUR) / 10n + 3n * HOUR));
    expect(view.total).toBe(0n);
  });
});
