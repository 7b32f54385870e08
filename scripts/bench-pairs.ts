// Throughput across disjoint pairs: payments per second with 1, 4 and 16 pairs paying at once,
// on real conductors of one machine, and where it stops scaling. 32 members share four conductors
// (eight agents each; a pair's payer and payee are always on different ones) and the village's
// witness agents two more, as a village box would run them. Prints figures only.
// BENCH_PAIRS_PAYMENTS (default 10) is each pair's run at each level; BENCH_PAIRS_WITNESSES (default 4)
// the village's witness agents.
import { cpus } from "node:os";
import type { LedgerError } from "../client/src/index.js";
import { cpuSeconds, percentile } from "./village/bench-figures.js";
import { startVillage, type MemberSpec, type RunningMember } from "./village/village.js";

const LEVELS = [1, 4, 16];
const PER_PAIR = Number(process.env.BENCH_PAIRS_PAYMENTS ?? 10);
const WITNESSES = Number(process.env.BENCH_PAIRS_WITNESSES ?? 4);
const MEMBER_CONDUCTORS = 4;
const WITNESS_CONDUCTORS = 2;
const AMOUNT = 1_000n; // 0.01 h
const IDLE_MS = 20_000;

const members: MemberSpec[] = Array.from({ length: 2 * Math.max(...LEVELS) }, (_, i) => ({
  name: `Member ${String(i + 1).padStart(2, "0")}`,
  conductor: `members ${i % MEMBER_CONDUCTORS}`,
}));
const witnesses: MemberSpec[] = Array.from({ length: WITNESSES }, (_, i) => ({
  name: `Witness ${i + 1}`,
  role: "witness",
  conductor: `witnesses ${i % WITNESS_CONDUCTORS}`,
}));

const setUpStarted = performance.now();
const village = await startVillage({ members: [...members, ...witnesses], syncTimeoutMs: 600_000 });
try {
  console.log(
    `village: ${members.length} members on ${MEMBER_CONDUCTORS} conductors, ${WITNESSES} witness agents on ${WITNESS_CONDUCTORS}, ${cpus().length} cores; set up in ${((performance.now() - setUpStarted) / 1000).toFixed(0)} s`,
  );
  const conductors = [...new Set([...village.members, ...village.witnesses].map((m) => m.conductor))];
  const conductorCpu = () => conductors.reduce((sum, c) => sum + cpuSeconds(c.running.process.pid), 0);
  const pairs: [RunningMember, RunningMember][] = Array.from({ length: Math.max(...LEVELS) }, (_, k) => [village.members[2 * k]!, village.members[2 * k + 1]!]);

  // What the village costs with no payment running (gossip, integration, the session keeper's polls).
  const idleCpuBefore = conductorCpu();
  const idleStarted = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idleCores = (conductorCpu() - idleCpuBefore) / ((performance.now() - idleStarted) / 1000);
  console.log(`idle village: conductors used ${idleCores.toFixed(2)} of ${cpus().length} cores over ${IDLE_MS / 1000} s`);

  let single = NaN;
  for (const level of LEVELS) {
    const latencies: number[] = [];
    const failures = new Map<string, { count: number; first: string }>();
    const cpuBefore = conductorCpu();
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      pairs.slice(0, level).map(async ([payer, payee]) => {
        for (let i = 0; i < PER_PAIR; i++) {
          const t = performance.now();
          try {
            await payer.ledger.pay(payee.agent, AMOUNT, `pairs ${level}: ${i + 1}`);
            latencies.push(performance.now() - t);
          } catch (error) {
            const code = (error as LedgerError).code ?? "unknown";
            const seen = failures.get(code) ?? { count: 0, first: String((error as LedgerError).message ?? error).slice(0, 200) };
            failures.set(code, { ...seen, count: seen.count + 1 });
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const perSecond = latencies.length / seconds;
    if (level === 1) single = perSecond;
    const busyCores = (conductorCpu() - cpuBefore) / seconds;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const clientCores = (clientCpu.user + clientCpu.system) / 1e6 / seconds;
    console.log(
      `${String(level).padStart(2)} pair(s) at once: ${perSecond.toFixed(2)} payments/s (${(perSecond / single).toFixed(1)}x one pair), ` +
        `p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms, ` +
        `cores used: conductors ${busyCores.toFixed(2)}, the members' apps ${clientCores.toFixed(2)} (n=${latencies.length}/${level * PER_PAIR})`,
    );
    // Above idle, per payment: every conductor holds and validates every payment in a village-sized DHT.
    const perPayment = ((busyCores - idleCores) * seconds) / Math.max(1, latencies.length);
    console.log(
      `   conductors' CPU per payment above idle: ${perPayment.toFixed(2)} s (${(perPayment / conductors.length).toFixed(2)} s on each of ${conductors.length})`,
    );
    for (const [code, { count, first }] of failures) console.log(`   ${count} failed ${code}: ${first}`);
  }
} finally {
  await village.stop();
}
