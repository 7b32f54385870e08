// `npm run bench:village`: a village of separate machines (network namespaces on a private bridge,
// scripts/village/lan.ts) running the real commands: the village box and four member nodes. Prints
// figures only: time from invitation to first payment on a new machine, memory of an idle member
// machine (its conductor and its node, which serves the page) and of the village box, time for a healed split to converge, and payments per second
// across machines (one pair, then two pairs at once). BENCH_VILLAGE_PAYMENTS sets the run (default 40),
// BENCH_VILLAGE_LONG_SPLIT_S the long split (default 120).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execFileSync } from "node:child_process";
import { createLan, openMemberPage, readyLine, type PageGateway } from "./village/lan.js";
import { removeDataKeepLogs, waitForLog, type Running } from "./village/processes.js";
import { LedgerError, retryWhile } from "../client/src/index.js";

const PAYMENTS = Number(process.env.BENCH_VILLAGE_PAYMENTS ?? 40);
const AMOUNT = 1_000n; // 0.01 h
/** Long enough for each side to give up on the other's peers (marked unresponsive). */
const LONG_SPLIT_MS = Number(process.env.BENCH_VILLAGE_LONG_SPLIT_S ?? 120) * 1000;
const MEMBERS = ["Ana", "Ben", "Cleo", "Dev"];
const workDir = mkdtempSync(join(tmpdir(), "commons-credit-bench-village-"));
const lan = createLan(["box", ...MEMBERS.map((m) => m.toLowerCase())], 1);
// Also when a failure ends the process before the `finally` below has run.
process.once("exit", () => lan.destroy());
const processes: Running[] = [];
const pages = new Map<string, PageGateway>();
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Resident memory of a machine's processes whose command is `binary`, in MiB. */
function residentMiB(machine: string, binary: string): number {
  const pids = execFileSync("ip", ["netns", "pids", lan.machine(machine).namespace])
    .toString()
    .split(/\s+/)
    .filter(Boolean);
  let kib = 0;
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]!.endsWith(binary)) continue;
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {}
  }
  return kib / 1024;
}

const node = (machine: string, args: string[], log: string, stdin: string) => {
  const running = lan.villageNode(machine, args, join(workDir, log), stdin);
  processes.push(running);
  return running;
};
const invite = async (name: string) =>
  waitForLog(node("box", ["invite", name, "--data", join(workDir, "box")], `invite-${name}.log`, ""), /^\s+(cc1-[A-Za-z0-9_-]+)\s*$/m, 30_000);
const joinMachine = async (name: string, code: string) => {
  const machine = name.toLowerCase();
  const running = node(machine, ["join", code, "--data", join(workDir, machine)], `${machine}.log`, "a long passphrase\n");
  const ready = await readyLine<{ socket: string; pair: string }>(running, "MEMBER_READY");
  pages.set(name, await openMemberPage(ready.socket, ready.pair));
};
const page = (name: string) => pages.get(name)!;

try {
  console.error(`[bench:village] logs in ${workDir}`);
  let t = Date.now();
  const box = node("box", ["box", "--listen", lan.machine("box").address, "--data", join(workDir, "box")], "box.log", "the box's passphrase\n");
  await readyLine(box, "BOX_READY");
  const boxStart = Date.now() - t;
  for (const name of ["Ben", "Cleo", "Dev"]) await joinMachine(name, await invite(name));
  // A new machine: from the steward's invitation to the member's first payment.
  t = Date.now();
  await joinMachine("Ana", await invite("Ana"));
  const joined = Date.now() - t;
  const reachable = async (from: string, to: string) => {
    while (
      !(await page(from)
        .ledger.isReachable(page(to).agent)
        .catch(() => false))
    )
      await sleep(200);
  };
  await reachable("Ana", "Ben");
  // Each conductor must also know the other is a member (a listing travels by gossip) before it signs.
  const knows = async (viewer: string, name: string) =>
    (
      await page(viewer)
        .ledger.members()
        .catch(() => [])
    ).some((m) => m.name === name);
  while (!(await knows("Ben", "Ana")) || !(await knows("Ana", "Ben"))) await sleep(200);
  await page("Ana").ledger.pay(page("Ben").agent, AMOUNT, "first payment");
  const firstPayment = Date.now() - t;

  // Across machines: one pair, then two disjoint pairs at once.
  // A pair refused because a chain was busy with the other pair's session (`payment_in_progress`, or
  // `witness_busy` past the app's own wait: one witness agent serializes the sessions it witnesses)
  // tries again; counted.
  let busy = 0;
  const run = async (pairs: [string, string][], count: number) => {
    const started = Date.now();
    await Promise.all(
      pairs.map(async ([payer, payee]) => {
        for (let i = 0; i < count; i++) {
          const pay = () => page(payer).ledger.pay(page(payee).agent, AMOUNT, `bench ${i}`);
          const refusedBusy = (error: unknown) => {
            const isBusy = error instanceof LedgerError && ["payment_in_progress", "lock_released", "witness_busy"].includes(error.code);
            if (isBusy) busy += 1;
            return isBusy;
          };
          await retryWhile(pay, refusedBusy, Date.now() + 60_000, 200);
        }
      }),
    );
    return (pairs.length * count) / ((Date.now() - started) / 1000);
  };
  await reachable("Cleo", "Dev");
  const onePair = await run([["Ana", "Ben"]], PAYMENTS);
  const twoPairs = await run(
    [
      ["Ana", "Ben"],
      ["Cleo", "Dev"],
    ],
    PAYMENTS / 2,
  );

  // Idle memory, after the runs settle.
  await sleep(20_000);
  const memberConductor = residentMiB("dev", "holochain");
  // The member's node process: its page server, the page's calls and the session keeper.
  const memberNode = residentMiB("dev", "node");
  const boxConductor = residentMiB("box", "holochain");
  const boxBootstrap = residentMiB("box", "kitsune2-bootstrap-srv");

  // Splits: Dev's machine is cut off while Ana pays Ben; healed, how long until Dev's view has it.
  // A short split, and one long enough for each side to mark the other's peers unresponsive.
  const healTimes: number[] = [];
  for (const splitMs of [5_000, LONG_SPLIT_MS]) {
    lan.split(["dev"]);
    const expected = (await page("Ana").ledger.myBalance()) - AMOUNT;
    await page("Ana").ledger.pay(page("Ben").agent, AMOUNT, "during the split");
    await sleep(splitMs);
    lan.heal();
    t = Date.now();
    const deadline = t + 300_000;
    while (
      (
        await page("Dev")
          .ledger.villageLedger()
          .catch(() => undefined)
      )?.lines.find((l) => l.name === "Ana")?.balance !== expected
    ) {
      if (Date.now() > deadline) throw new Error(`Dev's view did not converge within 300 s of the heal (a ${splitMs / 1000} s split)`);
      await sleep(200);
    }
    healTimes.push(Date.now() - t);
  }

  console.log(`machines: the village box and ${MEMBERS.length} members, each a network namespace, on ${(await import("node:os")).cpus().length} cores`);
  console.log(`village box, first start (founding, app compiled):   ${seconds(boxStart)}`);
  console.log(`invitation to member listed, new machine:            ${seconds(joined)}`);
  console.log(`invitation to first payment, new machine:            ${seconds(firstPayment)}`);
  console.log(`payments across machines, one pair:                  ${onePair.toFixed(2)} payments/s (n=${PAYMENTS})`);
  console.log(
    `payments across machines, two pairs at once:         ${twoPairs.toFixed(2)} payments/s (n=${PAYMENTS}; ${busy} tries refused busy and repeated)`,
  );
  console.log(
    `idle member machine, resident memory:                ${(memberConductor + memberNode).toFixed(0)} MiB (conductor ${memberConductor.toFixed(0)} + node and page ${memberNode.toFixed(0)})`,
  );
  console.log(`village box: conductor ${boxConductor.toFixed(0)} MiB + bootstrap/relay ${boxBootstrap.toFixed(0)} MiB resident`);
  console.log(`healed 5 s split, until the cut-off member sees it:  ${seconds(healTimes[0]!)}`);
  console.log(`healed ${LONG_SPLIT_MS / 1000} s split, until the cut-off member sees it: ${seconds(healTimes[1]!)}`);
} finally {
  for (const p of pages.values()) await p.close().catch(() => {});
  await Promise.all(processes.map((p) => p.stop()));
  lan.destroy();
  removeDataKeepLogs(workDir);
}
