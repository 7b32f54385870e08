// `npm run bench:witness`: what a witness's work costs as the village's history grows. Eight members
// on two conductors pay around two rings of four, two payments in flight; three witnesses on
// conductors of their own sign every payment in quorums of two. At the start and after every
// BENCH_WITNESS_EVERY payments (default 500) up to BENCH_WITNESS_PAYMENTS (default 5,000) it prints
// each witness's chain length, what a call into a witness's cell costs (a call that reads and writes
// nothing, made by the witness's own app: the part of each of its calls that Holochain spends around
// the zome), and the payments of that stretch. BENCH_WITNESS_PROFILE_CALLS (default 0) adds that
// many calls into the first witness's cell at the end, for a profiler. Prints figures only.
import { cpus } from "node:os";
import type { LedgerError } from "../client/src/index.js";
import { percentile } from "./village/bench-figures.js";
import { FORGER_HAPP, startVillage, type MemberSpec, type RunningMember } from "./village/village.js";

const PAYMENTS = Number(process.env.BENCH_WITNESS_PAYMENTS ?? 5_000);
const EVERY = Number(process.env.BENCH_WITNESS_EVERY ?? 500);
const RING = 4;
const LANES = 2;
const CALLS = 20;
const AMOUNT = 1_000n; // 0.01 h, paid around a ring: every balance stays within a few payments of zero
/** After the run, this many calls into the first witness's cell, its conductor's pid printed first, for a profiler to attach to. */
const PROFILE_CALLS = Number(process.env.BENCH_WITNESS_PROFILE_CALLS ?? 0);

const members: MemberSpec[] = Array.from({ length: RING * LANES }, (_, i) => ({ name: `Member ${i + 1}`, conductor: `members ${Math.floor(i / RING)}` }));
// Each witness runs the forger zome beside the honest one, to read its chain's length (nothing is written).
const witnesses: MemberSpec[] = ["Witness one", "Witness two", "Witness three"].map((name) => ({ name, role: "witness", happPath: FORGER_HAPP }));

const ms = (x: number) => `${x.toFixed(0)} ms`;
const village = await startVillage({ members: [...members, ...witnesses], syncTimeoutMs: 300_000 });
try {
  console.log(
    `village: ${members.length} members on ${LANES} conductors, ${witnesses.length} witnesses on one each (a quorum of two signs every payment), ${cpus().length} cores`,
  );
  const chainLength = async (w: RunningMember) => (await w.ledger.call<{ seq: number }>("older_top", 0, "forger")).seq + 1;
  const callCost = async (w: RunningMember) => {
    const times: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t = performance.now();
      await w.ledger.call("ping", null);
      times.push(performance.now() - t);
    }
    return percentile(times, 0.5);
  };
  const report = async (done: number, stretch: number[], failures: Map<string, number>, seconds: number) => {
    const rows = [];
    for (const w of village.witnesses) rows.push(`${w.name} ${await chainLength(w)} actions, a call ${ms(await callCost(w))}`);
    const payments = stretch.length
      ? `; payments of the stretch p50 ${ms(percentile(stretch, 0.5))}, p95 ${ms(percentile(stretch, 0.95))}, ${(stretch.length / seconds).toFixed(2)}/s`
      : "";
    const failed = failures.size ? ` (failed: ${[...failures].map(([c, n]) => `${c} ${n}`).join(", ")})` : "";
    console.log(`after ${done} payments: ${rows.join("; ")}${payments}${failed}`);
  };

  await report(0, [], new Map(), 1);
  let done = 0;
  while (done < PAYMENTS) {
    const stretch: number[] = [];
    const failures = new Map<string, number>();
    const target = Math.min(PAYMENTS, done + EVERY);
    const started = performance.now();
    // Each lane pays around its own ring, one payment at a time; the lanes run at once.
    let next = done;
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const ring = village.members.slice(lane * RING, (lane + 1) * RING);
        while (next < target) {
          const k = next++;
          const payer = ring[k % RING]!;
          const payee = ring[(k + 1) % RING]!;
          const t = performance.now();
          try {
            await payer.ledger.pay(payee.agent, AMOUNT, `witness bench ${k + 1}`);
            stretch.push(performance.now() - t);
          } catch (error) {
            const code = (error as LedgerError).code ?? "unknown";
            failures.set(code, (failures.get(code) ?? 0) + 1);
          }
        }
      }),
    );
    done = target;
    await report(done, stretch, failures, (performance.now() - started) / 1000);
  }
  if (PROFILE_CALLS > 0) {
    const witness = village.witnesses[0]!;
    console.log(`profile: ${witness.name}'s conductor is pid ${witness.conductor.running.process.pid}; ${PROFILE_CALLS} calls into its cell follow`);
    const started = performance.now();
    for (let i = 0; i < PROFILE_CALLS; i++) await witness.ledger.call("ping", null);
    console.log(`profile: ${PROFILE_CALLS} calls in ${ms(performance.now() - started)}`);
  }
} finally {
  await village.stop();
}
