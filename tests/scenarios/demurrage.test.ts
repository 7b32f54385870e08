// Demurrage on real conductors: an idle positive balance decays, lazily (nothing is written while
// it sits), the decayed amount goes to the Community fund, and a payment that ignores it is
// rejected by the honest counterparty's validation. The village's clock is sped up: 0.5 % a
// "month" of one second, after a grace period of two, so the test runs in seconds. A balance is
// idle until a payment's time plus the clocks' tolerance (30 s, thirty "months" here), so dating
// a payment back within the tolerance skips no decay.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOCK_TOLERANCE_SECS, decay } from "../../client/src/index.js";
import { FORGED_WINDOW_MS, forgeCountersigned } from "../harness/forger.js";
import { FORGER_HAPP, HOUR, SEED_PROPERTIES, eventually, retryWhileBusy, startVillage, type Village } from "../harness/index.js";

const DEMURRAGE = { grace_secs: 2, period_secs: 1, rate_ppm: 5_000 };
const COMMUNITY = 1;
/** The idle seconds demurrage counts from one payment to a time: the time plus the clocks' tolerance. */
const secondsBetween = (fromMicros: number, toMicros: number) => Math.floor((toMicros - fromMicros) / 1_000_000) + CLOCK_TOLERANCE_SECS;

describe("demurrage on idle credit", () => {
  let village: Village;
  const member = (name: string) => village.member(name);

  beforeAll(async () => {
    village = await startVillage({
      properties: { ...SEED_PROPERTIES, village_name: "Fastclock", demurrage: DEMURRAGE },
      members: [{ name: "Hana", happPath: FORGER_HAPP }, { name: "Ivo" }, { name: "Treasury", role: "treasury" }],
    });
  });
  afterAll(() => village?.stop());

  it("an idle balance decays lazily to the Community fund, the displayed balance is the decayed one, and skipping it is rejected", async () => {
    const received = await member("Ivo").ledger.pay(member("Hana").agent, 10n * HOUR, "ten hours of building");
    const since = received.payment.at;
    expect(received.payment.payee.after.balance).toBe(900_000n);
    await new Promise((r) => setTimeout(r, 6_000));

    // Shown now: decayed by every whole second past the grace period, never written to the chain.
    const askedAt = Date.now() * 1000;
    const shown = await member("Hana").ledger.myAccount();
    const answeredAt = Date.now() * 1000;
    const bounds = [answeredAt + 1_000_000, askedAt].map((t) => decay(900_000n, secondsBetween(since, t), DEMURRAGE).kept);
    expect(shown.balance).toBeGreaterThanOrEqual(bounds[0]!);
    expect(shown.balance).toBeLessThanOrEqual(bounds[1]!);
    expect(shown.balance).toBeLessThan(900_000n);
    expect((await member("Hana").ledger.myPosition()).account.balance).toBe(900_000n);

    // A payment starts from the decayed balance; what decayed is Hana's contribution to Community.
    const honest = await member("Hana").ledger.draftPayment(member("Ivo").agent, HOUR, "forged");
    const decayed = decay(900_000n, secondsBetween(since, honest.at), DEMURRAGE);
    expect(decayed.toCommons).toBeGreaterThan(0n);
    expect(honest.payer.before.balance).toBe(decayed.kept);
    expect(honest.payer.before.commons[COMMUNITY]).toBe(decayed.toCommons);

    const forged = structuredClone(honest);
    forged.payer.before.balance += decayed.toCommons;
    forged.payer.after.balance += decayed.toCommons;
    forged.payer.before.commons[COMMUNITY]! -= decayed.toCommons;
    forged.payer.after.commons[COMMUNITY]! -= decayed.toCommons;
    // The honest village witness signs it (the chain tops are current: a witness does not judge
    // demurrage); Ivo's validation refuses it.
    const witness = { witnesses: [village.witnesses[0]!.agent], honestWitnesses: [village.witnesses[0]!.agent] };
    const error = await forgeCountersigned(member("Hana"), forged, [member("Hana").agent, member("Ivo").agent], true, witness);
    expect(error.code, error.detail).toBe("demurrage_not_applied");

    // Dated 2 s back (within the tolerance, so the honest witness signs it), her balance aged only
    // to that time: the decay the tolerance counts is still owed, and Ivo refuses it.
    // Drafted once the forgery above has let go of the chains (its window ends), so this one's
    // payee is asked at once: an honest payee writes first only in a session's first 5 s.
    await new Promise((r) => setTimeout(r, Math.max(0, honest.at / 1000 + FORGED_WINDOW_MS + 200 - Date.now())));
    const backdated = await member("Hana").ledger.draftPayment(member("Ivo").agent, HOUR, "forged");
    backdated.at -= 2_000_000;
    const shaved = decay(900_000n, secondsBetween(since, backdated.at) - CLOCK_TOLERANCE_SECS, DEMURRAGE);
    const kept = shaved.kept - backdated.payer.before.balance;
    backdated.payer.before.balance += kept;
    backdated.payer.after.balance += kept;
    backdated.payer.before.commons[COMMUNITY]! -= kept;
    backdated.payer.after.commons[COMMUNITY]! -= kept;
    const shaving = await forgeCountersigned(member("Hana"), backdated, [member("Hana").agent, member("Ivo").agent], true, { ...witness, windowMs: 10_000 });
    // It applies some decay, just not all that is due: its account is not the one the chain left.
    expect(shaving.code, shaving.detail).toBe("broken_continuity");

    const paid = await retryWhileBusy(() => member("Hana").ledger.pay(member("Ivo").agent, HOUR, "paying it forward"));
    const decayedAtPayment = 900_000n - paid.payment.payer.before.balance;
    expect(decayedAtPayment).toBe(decay(900_000n, secondsBetween(since, paid.payment.at), DEMURRAGE).toCommons);
    expect(paid.payment.payer.after.commons[COMMUNITY]).toBe(decayedAtPayment + 2_500n);

    // Zero-sum at every moment, every agent: what left Hana's balance sits in the Community fund.
    for (const viewer of ["Hana", "Ivo", "Treasury"]) {
      const view = await eventually(
        () => member(viewer).ledger.villageLedger(),
        (v) => v.total === 0n && v.lines.every((l) => l.name !== "Ivo" || l.balance === -1_000_000n + 90_000n),
      );
      expect(view.total).toBe(0n);
      expect(view.funds[COMMUNITY]!.balance).toBeGreaterThanOrEqual(25_000n + 2_500n + decayedAtPayment);
    }
  });
});
