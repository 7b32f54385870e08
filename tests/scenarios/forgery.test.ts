// The modified client: Mallory and her accomplice Trent run the forger coordinator
// (tests/forger/zome), which commits whatever payment it is handed and skips every honest check.
// Same integrity zome, so same DNA and network. Each forgery must be refused by validation, with
// its violation code: on Mallory's own conductor, or, when honest Iris is the counterparty, by
// Iris's conductor judging Mallory's side of the entry. Honest peers' ledgers never change.
// Wendy is one of the village's witnesses and colludes (she accepts any session), so forged
// sessions get past the witness rule and validation judges what follows; the village's other
// witness is honest. Iris is the steward who invited everyone else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentPubKey } from "@holochain/client";
import { LedgerError, checkVoucherCode, decodeVoucherCode, paymentToWire, retryWhile, type Payment, type PaymentSession } from "../../client/src/index.js";
import {
  FORGED_WINDOW_MS,
  attemptForgery,
  forgeCountersigned,
  forgeEntry,
  repriced,
  signedSession,
  type ChainTop,
  type ForgeOptions,
} from "../harness/forger.js";
import {
  DEFAULT_WITNESS,
  FORGER_HAPP,
  HOUR,
  PLAIN_PROPERTIES,
  eventually,
  expectRefusal,
  retryWhileBusy,
  sessionWitnesses,
  startVillage,
  type Village,
} from "../harness/index.js";

/** Long enough for Iris to redeem Mallory's voucher first; it can be taken back 120 s after. */
const REDEEMED_VOUCHER_SECS = 60;

describe("a modified client's forged payments are rejected by validation", () => {
  let village: Village;
  const member = (name: string) => village.member(name);

  beforeAll(async () => {
    village = await startVillage({
      members: [
        { name: "Mallory", happPath: FORGER_HAPP },
        { name: "Trent", happPath: FORGER_HAPP },
        { name: "Iris", role: "steward" },
        { name: "Wren" },
        { name: "Wendy", role: "witness", happPath: FORGER_HAPP },
        { name: "Wanda", role: "witness", happPath: FORGER_HAPP },
        DEFAULT_WITNESS,
      ],
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

  /** A quorum of colluding witnesses: two of the village's three. */
  const colluders = () => [village.witness("Wendy").agent, village.witness("Wanda").agent];
  /** Witnessed by colluding Wendy and Wanda unless the options say otherwise. */
  const forge = (forged: Payment, signers: AgentPubKey[], counterpartyIsHonest: boolean, options: ForgeOptions = {}) =>
    forgeCountersigned(member("Mallory"), forged, signers, counterpartyIsHonest, { witnesses: colluders(), ...options });
  const honestWitness = () => village.witness(DEFAULT_WITNESS.name).agent;
  /** A quorum with the honest witness in it (asked first, as the honest app does), and colluding Wendy. */
  const withHonestWitness = (): ForgeOptions => ({ witnesses: [honestWitness(), village.witness("Wendy").agent], honestWitnesses: [honestWitness()] });

  /** The honest ledger: only honest payments change it. */
  const expected = { Mallory: -2n * HOUR, Trent: 2n * HOUR, Iris: 0n, Wren: 0n };

  async function expectLedgerUnchanged() {
    const view = await eventually(
      () => member("Wren").ledger.villageLedger(),
      (v) => v.lines.every((l) => expected[l.name as keyof typeof expected] === l.balance),
    );
    expect(Object.fromEntries(view.lines.map((l) => [l.name, l.balance]))).toEqual(expected);
    expect(view.total).toBe(0n);
  }

  it("a payment committed without countersignature (naming Iris, who never signed) is rejected", async () => {
    const error = await member("Mallory")
      .ledger.call("forge_plain_payment", paymentToWire(await draft("Iris")), "forger")
      .then(
        () => {
          throw new Error("accepted");
        },
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
    expected.Iris += HOUR / 2n;
    expected.Wren -= HOUR / 2n;
  });

  // ---- issue 9: what a modified coordinator could get accepted before ----

  it("a session no village witness signed is rejected (no_witness)", async () => {
    const error = await forgeCountersigned(member("Mallory"), await draft("Trent"), [agents().mallory, agents().trent], false);
    expect(error.code, error.detail).toBe("no_witness");
    await expectLedgerUnchanged();
  });

  it("a double spend from an older chain top is refused by the honest witness (stale_chain_top)", async () => {
    // Mallory claims the chain top she had before her second payment, and the account it left,
    // so the credit of that second payment would be spent again.
    const history = await member("Mallory").ledger.history(); // newest first
    const older = await member("Mallory").ledger.call<ChainTop>("older_top", await actionsSince(history[0]!.action_hash), "forger");
    const replayed = await draft("Iris");
    replayed.payer.previous_payment = history[1]!.action_hash;
    replayed.payer.before.balance = -HOUR;
    replayed.payer.after.balance = -2n * HOUR;
    const irisTop = (await member("Iris").ledger.call<{ Ok: { top: ChainTop } }>("quote_receipt", null)).Ok;
    const attempt = attemptForgery(member("Mallory"), replayed, [agents().mallory, agents().iris], true, {
      ...withHonestWitness(),
      attested: { payer: older, payee: irisTop.top },
    });
    await expectRefusal(attempt, "stale_chain_top");
    await expectLedgerUnchanged();
  });

  it("two sessions from one chain top through two quorums of honest witnesses, started at once or moments apart: never both signed", async () => {
    // Mallory's modified coordinator signs both sessions itself without its conductor's lock (one
    // chain top, two payees) and puts each to a different quorum of honest witnesses: Wendy then
    // the village witness, Wanda then the village witness. Two majorities always share a witness;
    // an honest one signs one session at a time and never a second at a top it signed. Nothing is
    // committed, so every round starts from the same top once the last round's locks end.
    const quorumA = [village.witness("Wendy").agent, honestWitness()];
    const quorumB = [village.witness("Wanda").agent, honestWitness()];
    const startDelaysMs = [0, 0, 0, 0, 50, 150, 400];
    let oneSigned = 0;
    for (const delayMs of startDelaysMs) {
      const [toIris, toWren] = [await draft("Iris"), await draft("Wren")];
      const session = (payment: Payment, quorum: AgentPubKey[]) =>
        signedSession(member("Mallory"), payment, [agents().mallory, payment.payee.agent], {
          witnesses: quorum,
          honestWitnesses: quorum,
          signWithoutLock: true,
        });
      const first = session(toIris, quorumA);
      const second = delayMs === 0 ? session(toWren, quorumB) : new Promise<void>((r) => setTimeout(r, delayMs)).then(() => session(toWren, quorumB));
      const outcomes = await Promise.allSettled([first, second]);
      const signed = outcomes.filter((o) => o.status === "fulfilled").length;
      expect(signed, `round with a ${delayMs} ms start gap: both sessions from one top were signed by a quorum`).toBeLessThan(2);
      for (const outcome of outcomes) {
        if (outcome.status === "rejected") {
          expect(outcome.reason).toBeInstanceOf(LedgerError);
          expect(["payment_in_progress", "lock_released", "signed_later_session", "stale_chain_top", "session_unsettled", "witness_behind"]).toContain(
            (outcome.reason as LedgerError).code,
          );
        }
      }
      if (signed === 1) oneSigned++;
      // The signed session's chains stay locked until its window closes: the next round waits for it.
      const windowEnd = Math.max(toIris.at, toWren.at) / 1000 + FORGED_WINDOW_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, windowEnd - Date.now()) + 500));
    }
    expect(oneSigned, "the race was run: in some rounds one of the two sessions was signed").toBeGreaterThan(0);
    await expectLedgerUnchanged();
  });

  it("a payer signing the session at a chain top the witness did not attest is rejected by Iris (unattested_chain_top)", async () => {
    const older = await member("Mallory").ledger.call<ChainTop>("older_top", 1, "forger");
    const error = await forge(await draft("Iris"), [agents().mallory, agents().iris], true, {
      ...withHonestWitness(),
      signMyResponseAt: older,
    });
    expect(error.code, error.detail).toBe("unattested_chain_top");
    await expectLedgerUnchanged();
  });

  it("a memo longer than 280 characters never reaches an honest chain (invalid_text)", async () => {
    const forged = await draft("Iris");
    forged.memo = "x".repeat(5_000);
    const error = await forge(forged, [agents().mallory, agents().iris], true);
    expect(error.code, error.detail).toBe("invalid_text");
    await expectLedgerUnchanged();
  });

  it("a session window longer than validation allows is rejected (wrong_time)", async () => {
    // A second past validation's 15 s (MAX_SESSION_MICROS): the chains it locks (Mallory's, Trent's,
    // colluding Wendy's) stay held that long, and the later forgeries through Wendy wait for it.
    const error = await forge(await draft("Trent"), [agents().mallory, agents().trent], false, { windowMs: 16_000 });
    expect(error.code, error.detail).toBe("wrong_time");
    await expectLedgerUnchanged();
  });

  it("a witness that keeps its chain locked does not stop payments: the payer passes it over for a quorum of the others", async () => {
    // Colluding Wendy alone signs a forged session with a long window and never writes it (one
    // witness of three is no quorum): her chain stays locked until the window closes, and every
    // session put to her meanwhile hears payment_in_progress. The window runs from the draft's
    // time, so a forgery that had to wait out earlier forgeries' locks is drafted again.
    const LOCKED_MS = 14_000;
    let lockedUntil = 0;
    for (let tries = 0; tries < 3 && Date.now() > lockedUntil - LOCKED_MS / 2; tries++) {
      const forged = await draft("Trent");
      const error = await forge(forged, [agents().mallory, agents().trent], false, { witnesses: [village.witness("Wendy").agent], windowMs: LOCKED_MS });
      expect(error.code, error.detail).toBe("no_witness");
      lockedUntil = forged.at / 1000 + LOCKED_MS;
    }
    // Iris's app found only Wendy answering: Wendy is asked first, busy, then passed over.
    const session = await member("Iris").ledger.call<PaymentSession>("start_payment", {
      payee: member("Wren").agent,
      amount: HOUR,
      memo: "past a busy witness",
      witnesses_online: [village.witness("Wendy").agent],
    });
    const receipt = await member("Iris").ledger.completeSession(session);
    expected.Iris -= HOUR;
    expected.Wren += HOUR;
    const signedBy = sessionWitnesses(session).map((key) => Buffer.from(key).toString("base64"));
    expect(signedBy, "a quorum of two signed, not locked Wendy").toHaveLength(2);
    expect(signedBy).not.toContain(Buffer.from(village.witness("Wendy").agent).toString("base64"));
    expect(receipt.payment.memo).toBe("past a busy witness");
    await expectLedgerUnchanged();
  });

  it("nobody deletes a membership: Mallory cannot delist Iris (forbidden_delete)", async () => {
    const error = await forgeEntry(member("Mallory"), "forge_delete_membership", agents().iris);
    expect(error.code, error.detail).toBe("forbidden_delete");
    const names = (await member("Wren").ledger.members()).map((m) => m.name);
    expect(names).toContain("Iris");
  });

  it("a member is listed only under the name its invitation gave (forged_member)", async () => {
    const error = await forgeEntry(member("Mallory"), "forge_membership", "Iris");
    expect(error.code, error.detail).toBe("forged_member");
    const names = (await member("Wren").ledger.members()).map((m) => m.name);
    expect(names.filter((n) => n === "Iris")).toHaveLength(1);
  });

  it("a payment can never be deleted, not even by its own party (immutable_payment)", async () => {
    const [latest] = await member("Mallory").ledger.history();
    const error = await forgeEntry(member("Mallory"), "forge_delete_entry", latest!.action_hash);
    expect(error.code, error.detail).toBe("immutable_payment");
    await expectLedgerUnchanged();
  });

  it("an offer title past 80 characters is rejected (invalid_text)", async () => {
    const offer = { title: "t".repeat(81), labour: 100n, ecological: 0n, care: 0n, price: 100n };
    const error = await forgeEntry(member("Mallory"), "forge_offer", offer);
    expect(error.code, error.detail).toBe("invalid_text");
  });

  it("an agent without a steward's invitation cannot join: genesis refuses it (not_a_member)", async () => {
    const admin = member("Wren").admin;
    const outsider = await admin.generateAgentPubKey();
    const install = (membraneProof?: Uint8Array) =>
      admin.installApp({
        source: { type: "path", value: FORGER_HAPP },
        agent_key: outsider,
        installed_app_id: `outsider-${Math.random().toString(36).slice(2)}`,
        network_seed: village.networkSeed,
        roles_settings: { ledger: { type: "provisioned", value: { membrane_proof: membraneProof, modifiers: { properties: village.properties } } } },
      });
    await expect(install()).rejects.toThrow(/not_a_member/);
    // An invitation issued to someone else does not admit this key either.
    const wrens = await member("Iris").ledger.issueInvitation(member("Wren").agent, "Wren");
    await expect(install(wrens.membrane_proof)).rejects.toThrow(/not_a_member/);
    // And only a steward can invite.
    await expectRefusal(member("Wren").ledger.issueInvitation(outsider, "Oscar"), "not_a_steward");
    await expectRefusal(member("Iris").ledger.issueInvitation(outsider, "Mallory"), "name_taken");
  });

  it("a chain cannot be closed or migrated away from its ledger (forbidden_op)", async () => {
    const error = await forgeEntry(member("Mallory"), "forge_close_chain");
    expect(error.code, error.detail).toBe("forbidden_op");
    await expectLedgerUnchanged();
  });

  describe("offline vouchers", () => {
    const redeemable = <T>(attempt: () => Promise<T>) =>
      retryWhile(attempt, (e) => e instanceof LedgerError && e.code === "not_synced", Date.now() + 60_000, 500);
    const draftRedemption = async (code: string) => member("Mallory").ledger.read<Payment>("draft_redemption", { voucher: decodeVoucherCode(code) });
    const forgeRedemption = (redemption: Payment) =>
      forgeEntry(member("Mallory"), "forge_redemption", {
        payment: paymentToWire(redemption),
        witnesses: colluders(),
        window_ms: FORGED_WINDOW_MS,
      });

    it("a voucher past its payer's floor is refused when written (over_floor)", async () => {
      const drafted = await member("Mallory").ledger.read<Payment>("draft_voucher", { payee: agents().iris, amount: HOUR, memo: "v", valid_for_secs: 3600 });
      const forged = repriced(drafted, 25n * HOUR, village.properties); // Mallory stands at -2 h; her floor is -20 h
      const error = await forgeEntry(member("Mallory"), "forge_plain_payment", paymentToWire(forged));
      expect(error.code, error.detail).toBe("over_floor");
      await expectLedgerUnchanged();
    });

    it("one voucher redeemed through two quorums of honest witnesses at once: never both signed", async () => {
      const code = await member("Iris").ledger.issueVoucher(agents().mallory, HOUR / 10n, "raced", 3600);
      expected.Iris -= HOUR / 10n;
      const quorums = [
        [village.witness("Wendy").agent, honestWitness()],
        [village.witness("Wanda").agent, honestWitness()],
      ];
      let oneSigned = 0;
      for (let round = 0; round < 3; round++) {
        const drafts = await Promise.all(quorums.map(() => redeemable(() => draftRedemption(code))));
        const outcomes = await Promise.allSettled(
          quorums.map((quorum, i) =>
            member("Mallory").ledger.call<PaymentSession>(
              "redemption_session",
              { payment: paymentToWire(drafts[i]!), witnesses: quorum, honest_witnesses: quorum, window_ms: FORGED_WINDOW_MS },
              "forger",
            ),
          ),
        );
        const signed = outcomes.filter((o) => o.status === "fulfilled").length;
        expect(signed, `round ${round + 1}: one voucher's two redemptions were both signed by a quorum`).toBeLessThan(2);
        if (signed === 1) oneSigned++;
        // The signed session holds its witnesses until its window closes; nothing was committed.
        const windowEnd = Math.max(...drafts.map((d) => d.at)) / 1000 + FORGED_WINDOW_MS;
        await new Promise((r) => setTimeout(r, Math.max(0, windowEnd - Date.now()) + 500));
      }
      expect(oneSigned, "the race was run: in some rounds one redemption was signed").toBeGreaterThan(0);
      // Redeemed once, honestly: the credit arrives once.
      await redeemable(() => member("Mallory").ledger.redeemVoucher(code));
      expected.Mallory += HOUR / 10n;
      await expectLedgerUnchanged();
    });

    it("a voucher is redeemed once: a second redemption is refused by the payee's validation (voucher_redeemed)", async () => {
      const code = await member("Iris").ledger.issueVoucher(agents().mallory, HOUR, "apples, paid offline", 3600);
      expected.Iris -= HOUR;
      expect(await member("Iris").ledger.myBalance(), "the payer is debited when it writes the voucher").toBe(expected.Iris);
      await redeemable(() => member("Mallory").ledger.redeemVoucher(code));
      expected.Mallory += HOUR;
      await expectLedgerUnchanged();
      await expectRefusal(member("Mallory").ledger.redeemVoucher(code), "voucher_redeemed");
      const error = await forgeRedemption(await draftRedemption(code));
      expect(error.code, error.detail).toBe("voucher_redeemed");
      await expectLedgerUnchanged();
    });

    it("an expired voucher is refused (voucher_expired)", async () => {
      const code = await member("Iris").ledger.issueVoucher(agents().mallory, HOUR / 2n, "pears", 2);
      const drafted = await draftRedemption(code);
      const { expires_at } = await checkVoucherCode(code);
      await eventually(
        async () => Date.now() * 1000,
        (nowMicros) => nowMicros > expires_at + 1_000_000,
      );
      await expectRefusal(member("Mallory").ledger.redeemVoucher(code), "voucher_expired");
      drafted.at = Date.now() * 1000; // redeemed now, past the expiry
      const error = await forgeRedemption(drafted);
      expect(error.code, error.detail).toBe("voucher_expired");
      // The expired voucher's credit left Iris and reached nobody: it is missing from the total
      // until Iris takes it back (below).
      const iris = expected.Iris - HOUR / 2n;
      // (Read until Wren's view has both parties' latest: one authority's answer can lag another's.)
      const view = await eventually(
        () => member("Wren").ledger.villageLedger(),
        (v) => v.lines.find((l) => l.name === "Iris")?.balance === iris && v.lines.find((l) => l.name === "Mallory")?.balance === expected.Mallory,
      );
      expect(view.lines.find((l) => l.name === "Mallory")?.balance).toBe(expected.Mallory);
      expect(view.total).toBe(-HOUR / 2n);
    });

    it(
      "an expired voucher is taken back by its payer once the grace has passed, once, and never one its payee redeemed (voucher_redeemed)",
      async () => {
        // Mallory writes Iris a voucher that Iris redeems in time.
        const redeemedCode = await member("Mallory").ledger.issueVoucher(agents().iris, HOUR / 4n, "redeemed in time", REDEEMED_VOUCHER_SECS);
        expected.Mallory -= HOUR / 4n;
        const redeemStarted = Date.now();
        await redeemable(() => member("Iris").ledger.redeemVoucher(redeemedCode));
        console.log(`[vouchers] Iris redeemed Mallory's voucher ${Date.now() - redeemStarted} ms after it was written`);
        expected.Iris += HOUR / 4n;

        // Iris's "pears" voucher expired unredeemed (above): too early to take back.
        const pears = (await member("Iris").ledger.myVouchers()).find((v) => v.voucher.memo === "pears")!;
        expect(pears.reclaimed).toBe(false);
        expect(Date.now() * 1000).toBeLessThan(pears.reclaimable_from);
        await expectRefusal(member("Iris").ledger.reclaimVoucher(pears.voucher_hash), "wrong_time");
        const reclaimable = (from: number) =>
          eventually(
            async () => Date.now() * 1000,
            (now) => now > from + 1_000_000,
            4 * 60_000,
          );
        await reclaimable(pears.reclaimable_from);
        const receipt = await member("Iris").ledger.reclaimVoucher(pears.voucher_hash);
        expect(receipt.payment.kind).toEqual({ type: "Reclaim", voucher: pears.voucher_hash });
        expect(receipt.payment.payee.after.balance - receipt.payment.payee.before.balance).toBe(HOUR / 2n);
        // The credit is back: every account as expected, and the village sums to zero again.
        await expectLedgerUnchanged();
        expect((await member("Iris").ledger.myVouchers()).find((v) => v.voucher.memo === "pears")?.reclaimed).toBe(true);
        await expectRefusal(member("Iris").ledger.reclaimVoucher(pears.voucher_hash), "voucher_redeemed");
        // Mallory writes Wren a voucher that expires at once; Wren writes nothing after it (below).
        await member("Mallory").ledger.issueVoucher(member("Wren").agent, HOUR / 10n, "payee unseen", 1);

        // Mallory's voucher was redeemed: her honest app refuses to take it back, and so does her
        // own conductor's validation when her forger commits it through colluding Wendy.
        const redeemed = (await member("Mallory").ledger.myVouchers()).find((v) => v.voucher.memo === "redeemed in time")!;
        await reclaimable(redeemed.reclaimable_from);
        await expectRefusal(member("Mallory").ledger.reclaimVoucher(redeemed.voucher_hash), "voucher_redeemed");
        const forged = await member("Mallory").ledger.read<Payment>("draft_reclaim", redeemed.voucher_hash);
        const irisTop = (await member("Iris").ledger.call<{ Ok: { top: ChainTop } }>("quote_receipt", null)).Ok.top;
        const error = await forgeEntry(member("Mallory"), "forge_redemption", {
          payment: paymentToWire(forged),
          witnesses: colluders(),
          window_ms: FORGED_WINDOW_MS,
          voucher_payee_top: irisTop,
        });
        expect(error.code, error.detail).toBe("voucher_redeemed");

        // Nothing of Wren's chain was written after that voucher expired: what is read of it might
        // stop short of a redemption made on the far side of a split LAN. Mallory's app refuses to
        // take it back, and her own validation refuses it forged through colluding Wendy.
        const unseen = (await member("Mallory").ledger.myVouchers()).find((v) => v.voucher.memo === "payee unseen")!;
        await reclaimable(unseen.reclaimable_from);
        await expectRefusal(member("Mallory").ledger.reclaimVoucher(unseen.voucher_hash), "payee_not_seen");
        const forgedUnseen = await member("Mallory").ledger.read<Payment>("draft_reclaim", unseen.voucher_hash);
        const wrenTop = (await member("Wren").ledger.call<{ Ok: { top: ChainTop } }>("quote_receipt", null)).Ok.top;
        const unseenError = await forgeEntry(member("Mallory"), "forge_redemption", {
          payment: paymentToWire(forgedUnseen),
          witnesses: colluders(),
          window_ms: FORGED_WINDOW_MS,
          voucher_payee_top: wrenTop,
        });
        expect(unseenError.code, unseenError.detail).toBe("payee_not_seen");
        // Once Wren's node writes anything (here an offer), Mallory takes it back, and the village is whole.
        await member("Wren").ledger.publishOffer("Seen after the voucher expired", HOUR / 10n, 0n, 0n);
        await retryWhile(
          () => member("Mallory").ledger.reclaimVoucher(unseen.voucher_hash),
          (e) => e instanceof LedgerError && ["payee_not_seen", "payment_in_progress", "lock_released"].includes(e.code),
          Date.now() + 60_000,
          1_000,
        );
        await expectLedgerUnchanged();
      },
      10 * 60_000,
    );
  });

  /** How many actions Mallory wrote after `hash` (so `older_top` can name the action before it). */
  async function actionsSince(hash: Uint8Array): Promise<number> {
    const position = (await member("Mallory").ledger.call<{ Ok: { top: ChainTop } }>("quote_receipt", null)).Ok;
    const latest = await member("Mallory").ledger.call<ChainTop>("older_top", 0, "forger");
    expect(position.top.seq).toBe(latest.seq);
    // The newest payment is the newest action (nothing else was written since), so the top before
    // it is one action back.
    expect(Buffer.from(latest.hash).equals(Buffer.from(hash))).toBe(true);
    return 1;
  }
});
