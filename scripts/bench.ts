// Payment benchmark on real conductors of the seed village (levied payments, Cai holds the treasury
// role): Ana pays Ben, Cai is a third member; two witnesses on conductors of their own, as on a
// village box. Then each witness is stopped in turn, for what a witness that does not answer costs.
// Prints figures only (targets are read from them, never asserted in tests).
// BENCH_PAYMENTS (default 1000) sets the length of the payment run on one chain.
import { DEFAULT_WITNESS, FORGER_HAPP, SEED_PROPERTIES, startVillage } from "./village/village.js";
import type { LedgerError } from "../client/src/index.js";
import { percentile } from "./village/bench-figures.js";

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1000);
const PLAIN_CALLS = 100;
/** Payments made while one witness is stopped, for each witness. */
const WITNESS_OFFLINE_PAYMENTS = 10;
const AMOUNT = 1_000n; // 0.01 h: a thousand of them stay within the -20 h floor

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const ms = (x: number) => `${x.toFixed(0)} ms`;

const village = await startVillage({
  properties: SEED_PROPERTIES,
  members: [{ name: "Ana", happPath: FORGER_HAPP }, { name: "Ben" }, { name: "Cai", role: "treasury" }, { name: "Witness two", role: "witness" }, DEFAULT_WITNESS],
});
try {
  const [ana, ben] = village.members;

  const timed = async (n: number, call: (i: number) => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await call(i);
      times.push(performance.now() - t);
    }
    return times;
  };
  const plain = await timed(PLAIN_CALLS, (i) => ana!.ledger.call("create_and_return", i, "forger"));
  // Where a payment's time goes: a local read, and one call to another conductor and back.
  const localRead = await timed(PLAIN_CALLS, () => ana!.ledger.myBalance());
  const remotePing = await timed(PLAIN_CALLS, () => ana!.ledger.isReachable(ben!.agent));
  // A read of another member's account asks its agent-activity authorities, as the witness does.
  const otherAccount = () => timed(20, () => ana!.ledger.balanceOf(ben!.agent));
  const otherAccountBefore = await otherAccount();
  const starts: number[] = [];

  const latencies: (number | null)[] = [];
  const failures = new Map<string, number>();
  const runStarted = performance.now();
  for (let i = 0; i < PAYMENTS; i++) {
    const t = performance.now();
    try {
      let signed = t;
      await ana!.ledger.pay(ben!.agent, AMOUNT, `bench ${i + 1}`, undefined, (stage) => {
        if (stage === "committing") signed = performance.now();
      });
      latencies.push(performance.now() - t);
      starts.push(signed - t);
    } catch (error) {
      latencies.push(null);
      const code = (error as LedgerError).code ?? "unknown";
      failures.set(code, (failures.get(code) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 16_000)); // a failed session's window must close first
    }
    if ((i + 1) % 100 === 0) console.error(`[bench] ${i + 1}/${PAYMENTS} payments`);
  }
  const runSeconds = (performance.now() - runStarted) / 1000;
  const done = latencies.filter((x): x is number => x !== null);
  const window = (from: number, to: number) => latencies.slice(from, to).filter((x): x is number => x !== null);
  const early = window(0, 20);
  const late = window(Math.max(0, PAYMENTS - 20), PAYMENTS);
  const setUp = (from: number, to: number) => percentile(starts.slice(from, to), 0.5);
  const otherAccountAfter = await otherAccount();

  const p50pay = percentile(done, 0.5);
  const p50plain = percentile(plain, 0.5);
  console.log(`conductors: 5 (payer, payee, a third member, two witnesses) on ${(await import("node:os")).cpus().length} cores`);
  console.log(`plain create-and-return call: p50 ${ms(p50plain)}, p95 ${ms(percentile(plain, 0.95))} (n=${PLAIN_CALLS})`);
  console.log(`countersigned payment:        p50 ${ms(p50pay)}, p95 ${ms(percentile(done, 0.95))} (n=${done.length})`);
  console.log(`ratio payment/plain (p50):    ${(p50pay / p50plain).toFixed(1)}x; p95 ${(percentile(done, 0.95) / p50plain).toFixed(1)}x`);
  const p50start = percentile(starts, 0.5);
  console.log(`where it goes (p50):          session set-up ${ms(p50start)} (draft, witness, both locks), commits and completion ${ms(p50pay - p50start)}`);
  console.log(`  one local read ${ms(percentile(localRead, 0.5))}; one call to another conductor and back ${ms(percentile(remotePing, 0.5))}`);
  const failed = failures.size ? ` (failures: ${[...failures].map(([c, n]) => `${c} ${n}`).join(", ")})` : "";
  console.log(`completion rate:              ${done.length}/${PAYMENTS}${failed}`);
  console.log(`sustained:                    ${(done.length / runSeconds).toFixed(2)} payments/s over ${runSeconds.toFixed(0)} s, one payer`);
  console.log(`payments 1-20 on the chain:   mean ${ms(mean(early))}, p50 ${ms(percentile(early, 0.5))}`);
  console.log(`payments ${PAYMENTS - 19}-${PAYMENTS} on the chain: mean ${ms(mean(late))}, p50 ${ms(percentile(late, 0.5))}`);
  console.log(`  of which session set-up (p50): ${ms(setUp(0, 20))} for payments 1-20, ${ms(setUp(PAYMENTS - 20, PAYMENTS))} for the last 20`);
  console.log(`reading another member's account (p50): ${ms(percentile(otherAccountBefore, 0.5))} before the run, ${ms(percentile(otherAccountAfter, 0.5))} after`);
  // A witness that does not answer: the app finds the witnesses that answer (all asked at once)
  // and the zome asks those first, so the stopped one costs no request timeout.
  for (const stopped of village.witnesses) {
    await stopped.conductor.stop();
    try {
      const times = await timed(WITNESS_OFFLINE_PAYMENTS, (i) => ana!.ledger.pay(ben!.agent, AMOUNT, `${stopped.name} offline ${i + 1}`));
      console.log(`with ${stopped.name} stopped: first payment ${ms(times[0]!)}, p50 ${ms(percentile(times, 0.5))} (n=${WITNESS_OFFLINE_PAYMENTS})`);
    } catch (error) {
      console.log(`with ${stopped.name} stopped: a payment failed (${(error as LedgerError).code ?? error})`);
    }
    await stopped.conductor.restart();
    const back = performance.now() + 60_000;
    while (!(await ana!.ledger.isReachable(stopped.agent)) && performance.now() < back) await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`final balances: Ana ${await ana!.ledger.myBalance()}, Ben ${await ben!.ledger.myBalance()} (units of 10^-5 h)`);
} finally {
  await village.stop();
}
