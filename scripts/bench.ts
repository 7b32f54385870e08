// Payment benchmark on real conductors of the seed village (levied payments, Cai holds the treasury
// role): Ana pays Ben, Cai is a third member; two witnesses on conductors of their own, as on a
// village box. Then each witness is stopped in turn, for what a witness that does not answer costs.
// Prints figures only (targets are read from them, never asserted in tests).
// BENCH_PAYMENTS (default 1000) sets the length of the payment run on one chain. Last, the payer's
// chain is made BENCH_GROW_ACTIONS (default 10,000) actions longer with plain actions, to measure
// what Holochain's own reads of a chain cost at that length, and payments on it. Ana pays Ben once
// after every BENCH_GROW_PAYMENT_EVERY (default 1,000) of them, as a member who trades between
// other writes: a payment's validation walks the actions since the party's previous payment, so
// the payments at the end measure a long chain, not one long walk (0 grows the chain with no
// payment in between: the payer's first payment then walks all of it).
import { DEFAULT_WITNESS, FORGER_HAPP, SEED_PROPERTIES, startVillage, type RunningMember } from "./village/village.js";
import type { LedgerError } from "../client/src/index.js";
import { percentile } from "./village/bench-figures.js";

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1000);
const PLAIN_CALLS = 100;
/** Payments made while one witness is stopped, for each witness. */
const WITNESS_OFFLINE_PAYMENTS = 10;
/** Plain actions added to the payer's chain for the long-chain figures, and how many a call writes. */
const GROW_ACTIONS = Number(process.env.BENCH_GROW_ACTIONS ?? 10_000);
const GROW_BATCH = 250;
/** Plain actions between two of Ana's payments while the chain grows (a multiple of GROW_BATCH; 0: none). */
const GROW_PAYMENT_EVERY = Number(process.env.BENCH_GROW_PAYMENT_EVERY ?? 1_000);
const LONG_CHAIN_PAYMENTS = 20;
const AMOUNT = 1_000n; // 0.01 h: a thousand of them stay within the -20 h floor

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** One payment's time, and of it the session's set-up (draft, witness, both locks) before the commits and completion. */
interface PaymentTiming {
  total: number;
  setUp: number;
}

async function timedPayment(payer: RunningMember, payee: RunningMember, memo: string): Promise<PaymentTiming> {
  const t = performance.now();
  let signed = t;
  await payer.ledger.pay(payee.agent, AMOUNT, memo, undefined, (stage) => {
    if (stage === "committing") signed = performance.now();
  });
  return { total: performance.now() - t, setUp: signed - t };
}

/** The p50 split of some payments' time into set-up and commits, as a parenthesis for a figure's line. */
function splitOf(timings: PaymentTiming[]): string {
  if (!timings.length) return "";
  const commits = timings.map((x) => x.total - x.setUp);
  return ` (p50 session set-up ${ms(
    percentile(
      timings.map((x) => x.setUp),
      0.5,
    ),
  )}, commits and completion ${ms(percentile(commits, 0.5))})`;
}

const village = await startVillage({
  properties: SEED_PROPERTIES,
  members: [
    { name: "Ana", happPath: FORGER_HAPP },
    { name: "Ben", happPath: FORGER_HAPP },
    { name: "Cai", role: "treasury" },
    // Three witnesses, as on a village box: a quorum of two countersigns every payment. Each runs
    // the forger zome beside the honest one, to read its chain's length (nothing is written).
    { name: "Witness two", role: "witness", happPath: FORGER_HAPP },
    { name: "Witness three", role: "witness", happPath: FORGER_HAPP },
    { ...DEFAULT_WITNESS, happPath: FORGER_HAPP },
  ],
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
  // A witness's cost per payment grows with its chain (Holochain's write does, docs/benchmarks.md):
  // how long a quorum makes each witness's chain, read without writing.
  const witnessChains = () => Promise.all(village.witnesses.map(async (w) => (await w.ledger.call<{ seq: number }>("older_top", 0, "forger")).seq + 1));
  const witnessBefore = await witnessChains();
  const starts: number[] = [];

  const latencies: (number | null)[] = [];
  const failures = new Map<string, number>();
  const runStarted = performance.now();
  for (let i = 0; i < PAYMENTS; i++) {
    try {
      const timing = await timedPayment(ana!, ben!, `bench ${i + 1}`);
      latencies.push(timing.total);
      starts.push(timing.setUp);
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
  const witnessAfter = await witnessChains();

  const p50pay = percentile(done, 0.5);
  const p50plain = percentile(plain, 0.5);
  console.log(
    `conductors: 6 (payer, payee, a third member, three witnesses: a quorum of two signs each payment) on ${(await import("node:os")).cpus().length} cores`,
  );
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
  console.log(
    `reading another member's account (p50): ${ms(percentile(otherAccountBefore, 0.5))} before the run, ${ms(percentile(otherAccountAfter, 0.5))} after`,
  );
  console.log(
    `witnesses' chains: ${witnessBefore.join(", ")} actions before the run, ${witnessAfter.join(", ")} after ${PAYMENTS} payments (one payer's quorum is the same two; their checks, locks and commits are in the set-up and commits above)`,
  );
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
    // Both parties reach it again before the next witness stops (the payee checks that it reaches
    // the session's witness too): a restarted conductor rejoins under a new network address.
    const restarted = performance.now();
    const reachedByBoth = async () => (await ana!.ledger.isReachable(stopped.agent)) && (await ben!.ledger.isReachable(stopped.agent));
    let reached = await reachedByBoth();
    while (!reached && performance.now() < restarted + 120_000) {
      await new Promise((r) => setTimeout(r, 500));
      reached = await reachedByBoth();
    }
    console.log(
      `${stopped.name} restarted: ${reached ? `reached by both parties after ${ms(performance.now() - restarted)}` : "not reached by both parties within 120 s"}`,
    );
  }
  await longChain(ana!, ben!, timed, percentile(early, 0.5));
  console.log(`final balances: Ana ${await ana!.ledger.myBalance()}, Ben ${await ben!.ledger.myBalance()} (units of 10^-5 h)`);
} finally {
  await village.stop();
}

/**
 * Holochain's own cost of a long chain. The witness asks whether a party's claimed top is its newest
 * action (`get_agent_activity` from that position on); others' balances ask for a member's newest
 * payment. Both are timed from Ben's conductor, on Ana's chain as the payments left it and again
 * once it is GROW_ACTIONS plain actions longer, with a plain create on her chain for Holochain's
 * own cost of a write there; then Ana pays on the long chain.
 */
async function longChain(
  ana: RunningMember,
  ben: RunningMember,
  timed: (n: number, call: (i: number) => Promise<unknown>) => Promise<number[]>,
  earlyP50: number,
) {
  const head = async () => (await ana.ledger.call<{ seq: number }>("older_top", 0, "forger")).seq;
  const readTop = (fromSeq: number, local: boolean) => () =>
    ben.ledger.call<number | null>("read_chain_top", { agent: ana.agent, from_seq: fromSeq, local }, "forger");
  const measure = async (label: string) => {
    const seq = await head();
    const network = await timed(20, readTop(seq, false));
    const local = await timed(20, readTop(seq, true));
    const balance = await timed(20, () => ben.ledger.balanceOf(ana.agent));
    // Holochain's own cost of writing on this chain, with no rules of ours in it (the forger's plain create).
    // Ben's chain stays short: his plain create at the same moment tells a long chain's cost from a busy machine's.
    const plainOnChain = await timed(20, (i) => ana.ledger.call("create_and_return", i, "forger"));
    const plainOnShortChain = await timed(20, (i) => ben.ledger.call("create_and_return", i, "forger"));
    console.log(
      `Ana's chain at ${seq + 1} actions (${label}), read from Ben's conductor (p50): newest action from the authorities ${ms(percentile(network, 0.5))}, from its own store ${ms(percentile(local, 0.5))}; Ana's balance ${ms(percentile(balance, 0.5))}; a plain create-and-return call on her chain ${ms(percentile(plainOnChain, 0.5))} (on Ben's chain of ${(await ben.ledger.call<{ seq: number }>("older_top", 0, "forger")).seq + 1} actions ${ms(percentile(plainOnShortChain, 0.5))})`,
    );
  };
  await measure("after the payments");
  /** Waits until Ben's own store has taken in Ana's chain up to `newHead` (its local read reports it). */
  const benHolds = async (newHead: number) => {
    const deadline = performance.now() + 20 * 60_000;
    while ((await readTop(newHead, true)()) !== newHead) {
      if (performance.now() > deadline) throw new Error(`Ben's conductor did not take in Ana's chain up to action ${newHead} in 20 minutes`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
  };
  const growStarted = performance.now();
  let grown = 0;
  let newHead = await head();
  const between: PaymentTiming[] = [];
  const betweenFailures: string[] = [];
  while (grown < GROW_ACTIONS) {
    const count = Math.min(GROW_BATCH, GROW_ACTIONS - grown);
    newHead = await ana.ledger.call<number>("grow_chain", count, "forger");
    grown += count;
    if (GROW_PAYMENT_EVERY > 0 && grown % GROW_PAYMENT_EVERY === 0) {
      await benHolds(newHead);
      const t = performance.now();
      try {
        between.push(await timedPayment(ana, ben, `after ${grown} plain actions`));
      } catch (error) {
        betweenFailures.push(`after ${grown}: ${(error as LedgerError).code ?? error} after ${ms(performance.now() - t)}`);
      }
      newHead = await head();
    }
    if (grown % 2_000 === 0) console.error(`[bench] ${grown}/${GROW_ACTIONS} plain actions written`);
  }
  const written = (performance.now() - growStarted) / 1000;
  await benHolds(newHead);
  console.log(
    `${GROW_ACTIONS} plain actions: written in ${written.toFixed(0)} s, in Ben's store ${((performance.now() - growStarted) / 1000).toFixed(0)} s after the first`,
  );
  if (GROW_PAYMENT_EVERY > 0) {
    const failed = betweenFailures.length ? `; failed: ${betweenFailures.join("; ")}` : "";
    console.log(
      `a payment after every ${GROW_PAYMENT_EVERY} plain actions (its validation walks back over them): ${between.length}/${Math.floor(GROW_ACTIONS / GROW_PAYMENT_EVERY)} completed, p50 ${
        between.length
          ? ms(
              percentile(
                between.map((x) => x.total),
                0.5,
              ),
            )
          : "-"
      }${splitOf(between)}, last ${between.length ? ms(between.at(-1)!.total) : "-"}${failed}`,
    );
  }
  await measure(`${GROW_ACTIONS} plain actions later`);
  const payments: PaymentTiming[] = [];
  const failures: string[] = [];
  for (let i = 0; i < LONG_CHAIN_PAYMENTS; i++) {
    const t = performance.now();
    try {
      payments.push(await timedPayment(ana, ben, `long chain ${i + 1}`));
    } catch (error) {
      failures.push(`payment ${i + 1}: ${(error as LedgerError).code ?? error} after ${ms(performance.now() - t)}`);
    }
  }
  if (failures.length) console.log(`payments on the long chain that failed: ${failures.join("; ")}`);
  const rest = payments.slice(1).map((x) => x.total);
  const walk = GROW_PAYMENT_EVERY > 0 ? "from a payment just before" : "its validation walks back over the plain actions to the previous payment";
  const ratio = rest.length ? ` (${(percentile(rest, 0.5) / earlyP50).toFixed(2)}x the p50 of payments 1-20)` : "";
  console.log(
    `payments on the long chain: ${payments.length}/${LONG_CHAIN_PAYMENTS} completed; the first to complete ${payments.length ? ms(payments[0]!.total) : "-"} (${walk}), then p50 ${rest.length ? ms(percentile(rest, 0.5)) : "-"} (n=${rest.length})${ratio}${splitOf(payments.slice(1))}`,
  );
}
