// `npm run bench:village-month`: a simulated village's month of trade (month-of-trade.ts: 500
// members, ~33,000 payments in the seed's mix), played in order by real conductors on this machine
// and validated by them, until the month ends or the time budget does. Several agents share each
// conductor (a machine cannot run 500), the village's witnesses run on two more, as a village box
// would. The village's clock is scaled so that its time-based rules happen within the run:
// demurrage's grace and period are a minute, a cash-out waits seconds. Prints figures only: set-up,
// payments done and per second, latencies, failures by code, peak memory per conductor, disk per
// member, the village total (zero-sum), and what the whole month and a year (400,000 payments) take
// at the measured rate.
// BENCH_MONTH_MEMBERS (500), BENCH_MONTH_PAYMENTS (66 a member: 33,000), BENCH_MONTH_MINUTES (15: the budget for
// playing the month), BENCH_MONTH_CONDUCTORS (5: for the members), BENCH_MONTH_CONCURRENCY (2:
// payments in flight, between parties not already paying).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { LedgerError, retryWhile, type CashOutTicket, type PublishedOffer } from "../client/src/index.js";
import { cpuSeconds, memoryMiB, percentile } from "./village/bench-figures.js";
import { planMonth, type PlannedKind, type PlannedPayment } from "./village/month-of-trade.js";
import { SEED_PROPERTIES, startVillage, type MemberSpec, type RunningMember, type VillageProperties } from "./village/village.js";

const MEMBER_CONDUCTORS = Number(process.env.BENCH_MONTH_CONDUCTORS ?? 5);
const WITNESSES = 4;
const WITNESS_CONDUCTORS = 2;
/**
 * Resident memory a conductor takes for itself and for each agent it runs, measured with Holochain
 * 0.7.1 on this machine (README: 30 agents, 2.8-2.9 GiB; one agent, ~390 MiB).
 */
const CONDUCTOR_MIB = 400;
const AGENT_MIB = 90;
/** Left for the system, the bench and the browser-free rest of the machine. */
const HEADROOM_MIB = 2_048;
const REQUESTED_MEMBERS = Number(process.env.BENCH_MONTH_MEMBERS ?? 500);
const MEMBERS = membersThatFit(REQUESTED_MEMBERS);
/** A month is ~33,000 payments among 500 members: 66 a member. */
const PAYMENTS = Number(process.env.BENCH_MONTH_PAYMENTS ?? MEMBERS * 66);
const BUDGET_MS = Number(process.env.BENCH_MONTH_MINUTES ?? 15) * 60_000;
const CONCURRENCY = Number(process.env.BENCH_MONTH_CONCURRENCY ?? 2);
const YEAR_PAYMENTS = 400_000;
/** How far ahead of the month's order a free worker looks for a payment whose parties are idle. */
const LOOK_AHEAD = 64;
/** Refusals that a retry a moment later can clear: a party busy in another session, or still syncing. */
const TRANSIENT = new Set([
  "payment_in_progress",
  "lock_released",
  "witness_busy",
  "counterparty_offline",
  "not_synced",
  "stale_state",
  "stale_chain_top",
  "no_witness",
]);
const RETRIES = 3;
const IDLE_MS = 20_000;

// The seed village's rules with its clock scaled: a minute of grace and a minute per demurrage period, five seconds' cash-out wait.
const properties: VillageProperties = {
  ...SEED_PROPERTIES,
  village_name: "Simulated village",
  demurrage: { ...SEED_PROPERTIES.demurrage, grace_secs: 60, period_secs: 60 },
  cash_out: { ...SEED_PROPERTIES.cash_out, wait_secs: 5 },
};

const month = planMonth(MEMBERS, PAYMENTS, properties);
const { roster } = month;
const roleOf = (i: number): MemberSpec["role"] =>
  i === roster.treasury ? "treasury" : i === roster.boundary ? "boundary" : i === roster.people[0] ? "steward" : undefined;
const specs: MemberSpec[] = roster.names.map((name, i) => ({ name, role: roleOf(i), conductor: `members ${i % MEMBER_CONDUCTORS}` }));
const witnessSpecs: MemberSpec[] = Array.from({ length: WITNESSES }, (_, i) => ({
  name: `Witness ${i + 1}`,
  role: "witness",
  conductor: `witnesses ${i % WITNESS_CONDUCTORS}`,
}));

/** The largest village up to `requested` whose conductors fit in this machine's available memory. */
function membersThatFit(requested: number): number {
  const availableMiB = Number(/MemAvailable:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0) / 1024;
  const conductors = MEMBER_CONDUCTORS + WITNESS_CONDUCTORS;
  const fit = Math.floor((availableMiB - HEADROOM_MIB - conductors * CONDUCTOR_MIB - WITNESSES * AGENT_MIB) / AGENT_MIB);
  if (fit >= requested) return requested;
  const need = (conductors * CONDUCTOR_MIB + (requested + WITNESSES) * AGENT_MIB) / 1024;
  console.log(
    `${requested} members need about ${need.toFixed(0)} GiB of conductor memory (${AGENT_MIB} MiB an agent in Holochain 0.7.1); ` +
      `this machine has ${(availableMiB / 1024).toFixed(0)} GiB available, so the village simulated here has ${fit} members`,
  );
  if (fit < 8) throw new Error("not enough memory for a simulated village of 8 members");
  return fit;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;

const diskMiB = (dir: string) => Number(execFileSync("du", ["-sk", dir]).toString().split(/\s/)[0]) / 1024;

console.log(`month: ${month.payments.length} payments planned among ${MEMBERS} members (${roster.coOps.length} co-ops, the treasury, the cash desk)`);
const mix = new Map<PlannedKind, number>();
for (const p of month.payments) mix.set(p.kind, (mix.get(p.kind) ?? 0) + 1);
console.log(`   mix: ${[...mix].map(([kind, n]) => `${kind} ${((100 * n) / month.payments.length).toFixed(0)} %`).join(", ")}`);

const setUpStarted = performance.now();
const village = await startVillage({
  members: [...specs, ...witnessSpecs],
  properties,
  readiness: "each-conductor",
  settlePeriodMs: 30_000,
  syncTimeoutMs: 1_800_000,
});
try {
  const setUpMs = performance.now() - setUpStarted;
  const conductors = [...new Set([...village.members, ...village.witnesses].map((m) => m.conductor))];
  console.log(
    `village: ${MEMBERS} members on ${MEMBER_CONDUCTORS} conductors (${Math.ceil(MEMBERS / MEMBER_CONDUCTORS)} agents each), ` +
      `${WITNESSES} witness agents on ${WITNESS_CONDUCTORS}, ${cpus().length} cores; founded, invited, joined and synced in ${seconds(setUpMs)}`,
  );
  const agent: RunningMember[] = roster.names.map((name) => village.member(name));
  const conductorCpu = () => conductors.reduce((sum, c) => sum + cpuSeconds(c.running.process.pid), 0);
  const idleBefore = conductorCpu();
  await sleep(IDLE_MS);
  const idleCores = (conductorCpu() - idleBefore) / (IDLE_MS / 1000);
  console.log(`idle village: conductors used ${idleCores.toFixed(2)} of ${cpus().length} cores over ${IDLE_MS / 1000} s`);

  const published: PublishedOffer[] = [];
  for (const o of month.offers) published.push(await agent[o.coOp]!.ledger.publishOffer(o.title, o.labour, o.ecological, o.care));

  const perform = async (p: PlannedPayment, n: number): Promise<void> => {
    const payer = agent[p.payer]!.ledger;
    const payee = agent[p.payee]!.agent;
    switch (p.kind) {
      case "purchase":
        await payer.buy(published[p.offer]!);
        return;
      case "wage":
      case "favour":
        await payer.pay(payee, p.amount, `${p.kind} ${n}`);
        return;
      case "stewardship":
        await payer.steward(payee, p.amount, p.commons, p.work, `stewardship ${n}`);
        return;
      case "cash-in":
        await payer.cashIn(payee, p.amount, `receipt ${n}`);
        return;
      case "treasury-spend":
        await payer.spendFromFund(payee, p.amount, p.fund, `project work ${n}`);
        return;
      case "cash-out": {
        const ticket: CashOutTicket = await payer.requestCashOut(p.amount);
        await sleep(Math.max(0, ticket.ready_at / 1000 - Date.now()) + 500); // the wait and the clocks' tolerance
        await payer.cashOut(ticket);
        return;
      }
    }
  };

  const latencies: number[] = [];
  const failures = new Map<string, { count: number; first: string }>();
  const done = new Map<PlannedKind, number>();
  let retried = 0;
  const busy = new Set<number>();
  const pending = month.payments.map((p, n) => ({ p, n }));
  const cpuBefore = conductorCpu();
  const started = performance.now();
  const deadline = Date.now() + BUDGET_MS;
  const worker = async () => {
    while (Date.now() < deadline && pending.length > 0) {
      const k = pending.slice(0, LOOK_AHEAD).findIndex(({ p }) => !busy.has(p.payer) && !busy.has(p.payee));
      if (k < 0) {
        await sleep(20);
        continue;
      }
      const [{ p, n }] = pending.splice(k, 1) as [{ p: PlannedPayment; n: number }];
      busy.add(p.payer).add(p.payee);
      const t = performance.now();
      for (let attempt = 0; ; attempt++) {
        try {
          await perform(p, n);
          latencies.push(performance.now() - t);
          done.set(p.kind, (done.get(p.kind) ?? 0) + 1);
          break;
        } catch (error) {
          const code = error instanceof LedgerError ? error.code : "unknown";
          if (TRANSIENT.has(code) && attempt < RETRIES) {
            retried++;
            await sleep(1_000);
            continue;
          }
          const seen = failures.get(`${p.kind}: ${code}`) ?? { count: 0, first: String(error instanceof Error ? error.message : error).slice(0, 200) };
          failures.set(`${p.kind}: ${code}`, { ...seen, count: seen.count + 1 });
          break;
        }
      }
      busy.delete(p.payer);
      busy.delete(p.payee);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const playedMs = performance.now() - started;
  const busyCores = (conductorCpu() - cpuBefore) / (playedMs / 1000);

  const paid = latencies.length;
  const rate = paid / (playedMs / 1000);
  const attempted = month.payments.length - pending.length;
  console.log(
    `played ${attempted} of the month's ${month.payments.length} payments in ${seconds(playedMs)}` +
      `${pending.length > 0 ? " (time budget reached)" : ""}: ${paid} paid, ${rate.toFixed(2)} payments/s, ` +
      `p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms, ${CONCURRENCY} in flight, ${retried} retries; ` +
      `conductors used ${busyCores.toFixed(2)} cores`,
  );
  console.log(`   paid by kind: ${[...done].map(([kind, n]) => `${kind} ${n}`).join(", ")}`);
  for (const [what, { count, first }] of failures) console.log(`   ${count} failed (${what}): ${first}`);
  if (rate > 0) {
    console.log(
      `at this rate on this machine: the month (${month.payments.length} payments) takes ${hours((month.payments.length / rate) * 1000)}, ` +
        `a year (${YEAR_PAYMENTS}) ${hours((YEAR_PAYMENTS / rate) * 1000)}`,
    );
  }

  for (const [g, conductor] of conductors.entries()) {
    const agents = [...village.members, ...village.witnesses].filter((m) => m.conductor === conductor).length;
    const { peak, now } = memoryMiB(conductor.running.process.pid);
    console.log(`   conductor ${g + 1} (${agents} agents): peak memory ${peak.toFixed(0)} MiB, now ${now.toFixed(0)} MiB`);
  }
  const disk = diskMiB(village.workDir);
  console.log(`disk: ${disk.toFixed(0)} MiB for the village's conductors, ${((disk / MEMBERS) * 1024).toFixed(0)} KiB per member, after ${paid} payments`);

  const viewer = village.member(roster.names[roster.people[0]!]!);
  // Each account is read where the viewer's authorities have it, so a read just after the last
  // payments can catch a payer's side before its payee's: the total is zero once they have all arrived.
  const ledgerStarted = performance.now();
  const read = () => viewer.ledger.villageLedger();
  const ledger = await retryWhile(
    async () => {
      const view = await read();
      if (view.total !== 0n) throw new LedgerError("not_synced", `the total read is ${view.total}`);
      return view;
    },
    (e) => e instanceof LedgerError && TRANSIENT.has(e.code),
    Date.now() + 180_000,
    2_000,
  ).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  if (ledger instanceof Error) console.log(`the village ledger did not read zero-sum within 180 s: ${ledger.message}`);
  else {
    console.log(
      `the village ledger as one member reads it: ${ledger.lines.length} accounts, total 0 (zero-sum) ${seconds(performance.now() - ledgerStarted)} after the last payment, ${ledger.forks.length} forks`,
    );
  }
} finally {
  await village.stop();
}
