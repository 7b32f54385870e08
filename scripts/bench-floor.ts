// Holochain's own floor for a payment: a bare countersigning session of a tiny entry, under a DNA
// with no rules at all (tests/floor), on three conductors as a payment uses them: the payer, the
// payee and a witness that gathers the signatures. Printed beside a plain create-and-return call on
// the same conductors, the ratio is the least a countersigned payment could cost on this machine,
// whatever a ledger did. Prints figures only. BENCH_FLOOR_SESSIONS (default 100) sets the runs.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentPubKey, EntryHash } from "@holochain/client";
import { holochainSays, retryWhile, sleep } from "../client/src/index.js";
import { createConductorConfigs, startBootstrapServer, startConductor } from "./village/network.js";
import { closeConnection, connectAdmin, installMember, type InstalledMember } from "./village/member.js";
import { PLAIN_PROPERTIES } from "./village/properties.js";
import { removeDataKeepLogs } from "./village/processes.js";
import { FLOOR_HAPP } from "./village/village.js";
import { percentile } from "./village/bench-figures.js";

const SESSIONS = Number(process.env.BENCH_FLOOR_SESSIONS ?? 100);
const PLAIN_CALLS = 100;
/** A probe session's window (SESSION_WINDOW_MS in tests/floor/coordinator): a failed one is waited out. */
const SESSION_WINDOW_MS = 30_000;
/** The first sessions wait for the conductors to find each other; this long at most. */
const CONNECT_TIMEOUT_MS = 180_000;
/** The ledger client's pause between commit attempts (RETRY_PAUSE_MS in client/src/ledger-client.ts). */
const COMMIT_RETRY_PAUSE_MS = 150;
const ms = (x: number) => `${x.toFixed(0)} ms`;

interface Stages {
  total: number;
  request: number;
  accepts: number;
  commits: number;
  completion: number;
}

const workDir = mkdtempSync(join(tmpdir(), "commons-credit-floor-"));
const stoppables: (() => Promise<void>)[] = [];
try {
  const bootstrap = await startBootstrapServer(workDir);
  stoppables.push(() => bootstrap.running.stop());
  const names = ["payer", "payee", "witness"];
  const configs = await createConductorConfigs(workDir, names, bootstrap.url);
  const networkSeed = `floor-${Date.now()}`; // one DNA for all three
  const members: InstalledMember[] = [];
  for (const [i, name] of names.entries()) {
    const conductor = await startConductor(name, configs[i]!, workDir);
    stoppables.push(() => conductor.stop());
    const admin = await connectAdmin(conductor.adminPort);
    stoppables.unshift(() => closeConnection(admin));
    const agent = await admin.generateAgentPubKey();
    const member = await installMember({ admin, agent, happPath: FLOOR_HAPP, appId: "floor", name, properties: PLAIN_PROPERTIES, networkSeed });
    stoppables.unshift(() => closeConnection(member.app));
    members.push(member);
  }
  const [payer, payee, witness] = members as [InstalledMember, InstalledMember, InstalledMember];
  const call = <T>(member: InstalledMember, fn: string, payload: unknown) => member.ledger.call<T>(fn, payload, "floor");

  /** One session of `signers` (the first gathers the signatures), timed stage by stage from the payer's side. */
  const session = async (signers: InstalledMember[], n: number): Promise<Stages> => {
    const t0 = performance.now();
    const request = await call<{ app_entry_hash: EntryHash }>(payer, "request_session", { signers: signers.map((s) => s.agent as AgentPubKey), n });
    const t1 = performance.now();
    const responses = await Promise.all(signers.map((s) => call<unknown>(s, "accept", request)));
    const t2 = performance.now();
    const completed = payer.ledger.sessionOutcome(request.app_entry_hash, Date.now() + SESSION_WINDOW_MS);
    completed.catch(() => {}); // awaited below; a failed commit first must not leave it unhandled
    // As the ledger's client does: a commit's validation needs the other signers' chain tops, and
    // waits (retried every COMMIT_RETRY_PAUSE_MS) until they have reached this conductor.
    const commit = (s: InstalledMember) =>
      retryWhile(
        () => call<unknown>(s, "commit", { responses, n }),
        (e) => holochainSays("dependencyMissing", String(e)),
        Date.now() + SESSION_WINDOW_MS,
        COMMIT_RETRY_PAUSE_MS,
      );
    await Promise.all(signers.map(commit));
    const t3 = performance.now();
    await completed;
    const t4 = performance.now();
    return { total: t4 - t0, request: t1 - t0, accepts: t2 - t1, commits: t3 - t2, completion: t4 - t3 };
  };
  const kinds: [string, InstalledMember[]][] = [
    ["three signers (witness, payer, payee), as a payment", [witness, payer, payee]],
    ["two signers (payee, payer)", [payee, payer]],
  ];

  // The conductors find each other: the first session that completes.
  const connectBy = performance.now() + CONNECT_TIMEOUT_MS;
  for (let n = 1_000_000; ; n++) {
    try {
      await session(kinds[0]![1], n);
      break;
    } catch (error) {
      if (performance.now() > connectBy) throw new Error(`no probe session completed in ${CONNECT_TIMEOUT_MS / 1000} s: ${error}`);
      console.error(`[floor] the conductors are not connected yet: ${error}`);
      await sleep(SESSION_WINDOW_MS + 1_000); // a failed session's window must close first
    }
  }

  const plain: number[] = [];
  for (let i = 0; i < PLAIN_CALLS; i++) {
    const t = performance.now();
    await call(payer, "create_and_return", i);
    plain.push(performance.now() - t);
  }
  const p50plain = percentile(plain, 0.5);
  console.log(`floor probe: 3 conductors, one agent each, a DNA with no rules (tests/floor)`);
  console.log(`plain create-and-return call: p50 ${ms(p50plain)}, p95 ${ms(percentile(plain, 0.95))} (n=${PLAIN_CALLS})`);
  for (const [label, signers] of kinds) {
    const runs: Stages[] = [];
    let failed = 0;
    for (let i = 0; i < SESSIONS; i++) {
      try {
        runs.push(await session(signers, i));
      } catch (error) {
        console.error(`[floor] session ${i + 1} failed: ${error}`);
        failed++;
        await sleep(SESSION_WINDOW_MS + 1_000);
      }
    }
    const p50 = (stage: keyof Stages) =>
      percentile(
        runs.map((r) => r[stage]),
        0.5,
      );
    const total = p50("total");
    const p95 = percentile(
      runs.map((r) => r.total),
      0.95,
    );
    console.log(
      `bare session, ${label}: p50 ${ms(total)} (${(total / p50plain).toFixed(1)}x the plain call), p95 ${ms(p95)} (${(p95 / p50plain).toFixed(1)}x); ${runs.length}/${SESSIONS} completed${failed ? `, ${failed} failed` : ""}`,
    );
    console.log(
      `  stages (p50): request ${ms(p50("request"))}, accepts ${ms(p50("accepts"))}, commits ${ms(p50("commits"))}, completion signal ${ms(p50("completion"))}`,
    );
  }
} finally {
  for (const stop of stoppables) await stop().catch(() => {});
  removeDataKeepLogs(workDir);
}
