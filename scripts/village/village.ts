// A whole village on this machine: its bootstrap/relay server, one conductor per member and per
// witness (or per group of them, MemberSpec.conductor), the ledger hApp installed for each, every
// member invited by a steward, joined and seeing the others, each agent's interrupted payment
// sessions settled (session-keeper.ts). Used by the tests, `npm start` and the benchmarks. Every
// payment is countersigned by a majority of the village's witnesses (a village without a witness spec gets
// one, on a conductor of its own: the village box), so a village has at least three conductors.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createConductorConfigs, startBootstrapServer, startConductor, type Conductor } from "./network.js";
import { closeConnection, connectAdmin, installMember, type InstalledMember } from "./member.js";
import { PLAIN_PROPERTIES, type VillageProperties } from "./properties.js";
import { removeDataKeepLogs, type Running } from "./processes.js";
import { keepSessionsSettled } from "./session-keeper.js";
import { REPO_ROOT as ROOT } from "../repo-root.js";

export const VILLAGE_HAPP = join(ROOT, "workdir/commons_credit.happ");
export const FORGER_HAPP = join(ROOT, "tests/forger/commons_credit_forger.happ");
/** Benchmark only: a DNA with no rules, for Holochain's own cost of a session (scripts/bench-floor.ts). */
export const FLOOR_HAPP = join(ROOT, "tests/floor/commons_credit_floor.happ");

const STOP_TIMEOUT_MS = 6_000;

export interface MemberSpec {
  name: string;
  /** Defaults to the village hApp; tests give some members the forger hApp. */
  happPath?: string;
  /**
   * Named in the village's founding properties: the commons treasury, the cash boundary, a
   * steward (signs invitations; the first plain member when no spec names one) or a witness
   * (witnesses payments, holds no account and does not join as a member).
   */
  role?: "treasury" | "boundary" | "steward" | "witness";
  /**
   * Members naming the same conductor share one (several agents per conductor, for villages larger
   * than a machine runs conductors); by default each member has a conductor of its own.
   */
  conductor?: string;
}

export interface VillageOptions {
  members: MemberSpec[];
  /** Defaults to plain mutual credit; the treasury and boundary keys are filled in from `role`s. */
  properties?: VillageProperties;
  networkSeed?: string;
  workDir?: string;
  /** How long to wait for every member to see every other. */
  syncTimeoutMs?: number;
  /**
   * When the village is ready: every member reaches every other (the default), or, for villages
   * of hundreds, one member on each conductor lists every member and reaches every witness.
   */
  readiness?: "every-pair" | "each-conductor";
  /** How often each agent's interrupted sessions are looked for (session-keeper.ts). */
  settlePeriodMs?: number;
}

export type RunningMember = InstalledMember & { conductor: Conductor };

export interface Village {
  workDir: string;
  bootstrapUrl: string;
  networkSeed: string;
  properties: VillageProperties;
  /** Everyone who joined as a member (not the witnesses). */
  members: RunningMember[];
  member(name: string): RunningMember;
  witnesses: RunningMember[];
  witness(name: string): RunningMember;
  stop(): Promise<void>;
}

/** The village box's witness, added when a village names none. */
export const DEFAULT_WITNESS: MemberSpec = { name: "Village witness", role: "witness" };

export async function startVillage(options: VillageOptions): Promise<Village> {
  const conductorCount = new Set(options.members.map((m, i) => m.conductor ?? `${i}`)).size + (options.members.some((m) => m.role === "witness") ? 0 : 1);
  if (conductorCount < 3) throw new Error("a village needs at least three conductors for countersigning");
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "commons-credit-"));
  const baseProperties = options.properties ?? PLAIN_PROPERTIES;
  const networkSeed = options.networkSeed ?? `village-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const stoppables: { stop(): Promise<void> }[] = [];
  // Bounded: closing a websocket to a conductor that is already gone never resolves. A village in a
  // directory of its own making leaves only its logs behind.
  const stopAll = async () => {
    await Promise.all(stoppables.map((s) => Promise.race([s.stop().catch(() => {}), sleep(STOP_TIMEOUT_MS)])));
    if (options.workDir === undefined) removeDataKeepLogs(workDir);
  };
  try {
    const specs = options.members.some((m) => m.role === "witness") ? options.members : [...options.members, DEFAULT_WITNESS];
    // Each spec's founding role; with no steward named, the first plain member is the steward.
    const firstPlain = specs.findIndex((m) => m.role === undefined);
    const roles = specs.map((m, i) => m.role ?? (i === firstPlain && !specs.some((s) => s.role === "steward") ? "steward" : undefined));
    const bootstrap = await startBootstrapServer(workDir);
    stoppables.push(bootstrap.running);
    const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const slugs = specs.map((m, i) => `${i}-${slug(m.name)}`);
    // One conductor per member, or per group of members naming the same one.
    const groups = [...new Set(specs.map((m, i) => m.conductor ?? `${i}`))];
    const conductorOf = specs.map((m, i) => groups.indexOf(m.conductor ?? `${i}`));
    const shared = (i: number) => specs[i]!.conductor !== undefined;
    const conductorSlugs = groups.map((group, g) => (specs.some((m) => m.conductor === group) ? `conductor-${slug(group)}` : slugs[conductorOf.indexOf(g)]!));
    const configs = await createConductorConfigs(workDir, conductorSlugs, bootstrap.url);
    const conductors: Conductor[] = [];
    for (const [g, conductorSlug] of conductorSlugs.entries()) {
      const conductor = await startConductor(conductorSlug, configs[g]!, workDir);
      stoppables.push({ stop: () => conductor.stop() });
      conductors.push(conductor);
    }
    // Every agent key first: the founding properties name the treasury, boundary, stewards and witnesses.
    const conductorAdmins = await Promise.all(conductors.map((c) => connectAdmin(c.adminPort)));
    for (const admin of conductorAdmins) stoppables.unshift({ stop: () => closeConnection(admin) });
    const admins = specs.map((_, i) => conductorAdmins[conductorOf[i]!]!);
    const agents = await Promise.all(admins.map((admin) => admin.generateAgentPubKey()));
    const keysWith = (role: MemberSpec["role"]) => roles.flatMap((r, i) => (r === role ? [Array.from(agents[i]!)] : []));
    const listedFounder = (i: number) => roles[i] === "treasury" || roles[i] === "boundary" || roles[i] === "steward";
    const properties: VillageProperties = {
      ...baseProperties,
      treasury: keysWith("treasury")[0] ?? null,
      boundary: keysWith("boundary")[0] ?? null,
      stewards: keysWith("steward"),
      witnesses: keysWith("witness"),
      founder_names: specs.flatMap((spec, i) => (listedFounder(i) ? [{ agent: Array.from(agents[i]!), name: spec.name }] : [])),
    };
    const isFounder = (i: number) => roles[i] !== undefined;
    const install = async (i: number, membraneProof?: Uint8Array): Promise<RunningMember> => {
      const spec = specs[i]!;
      const installed = await installMember({
        admin: admins[i]!,
        agent: agents[i]!,
        happPath: spec.happPath ?? VILLAGE_HAPP,
        // A conductor holds each app id once.
        appId: shared(i) ? `commons-credit-${slugs[i]}` : "commons-credit",
        name: spec.name,
        properties,
        networkSeed,
        membraneProof,
      });
      stoppables.unshift({ stop: () => closeConnection(installed.app) });
      return { ...installed, conductor: conductors[conductorOf[i]!]! };
    };
    // Installs compile the wasm: two at a time keeps a 2-core machine responsive. Founders first:
    // the stewards must be running to sign everyone else's invitation.
    const installed = new Map<number, RunningMember>();
    const inBatches = async (indexes: number[], proofOf: (i: number) => Promise<Uint8Array | undefined>) => {
      for (let k = 0; k < indexes.length; k += 2) {
        const batch = indexes.slice(k, k + 2);
        const done = await Promise.all(batch.map(async (i) => install(i, await proofOf(i))));
        for (const [j, i] of batch.entries()) installed.set(i, done[j]!);
      }
    };
    const founders = specs.flatMap((_, i) => (isFounder(i) ? [i] : []));
    await inBatches(founders, async () => undefined);
    const steward = installed.get(roles.indexOf("steward"))!;
    await inBatches(
      specs.flatMap((_, i) => (isFounder(i) ? [] : [i])),
      async (i) => (await steward.ledger.issueInvitation(agents[i]!, specs[i]!.name)).membrane_proof,
    );
    const all = specs.map((_, i) => installed.get(i)!);
    const members = all.filter((_, i) => specs[i]!.role !== "witness");
    const witnesses = all.filter((_, i) => specs[i]!.role === "witness");
    for (const m of members) await m.ledger.joinVillage(m.name);
    const keeper = keepSessionsSettled(all, options.settlePeriodMs);
    stoppables.unshift({ stop: async () => keeper.stop() });
    const syncTimeoutMs = options.syncTimeoutMs ?? 120_000;
    if (options.readiness === "each-conductor") {
      const onePerConductor = conductors.flatMap((c) => members.find((m) => m.conductor === c) ?? []);
      await waitUntilListed(onePerConductor, members.length, witnesses, syncTimeoutMs);
    } else {
      await waitUntilAllSeeAll(members, syncTimeoutMs, witnesses);
    }
    const byName = (list: RunningMember[], what: string) => (name: string) => {
      const found = list.find((m) => m.name === name);
      if (!found) throw new Error(`no ${what} ${name}`);
      return found;
    };
    return {
      workDir,
      bootstrapUrl: bootstrap.url,
      networkSeed,
      properties,
      members,
      member: byName(members, "member"),
      witnesses,
      witness: byName(witnesses, "witness"),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw new Error(`village failed to start (logs in ${workDir}): ${error instanceof Error ? error.message : error}`, { cause: error });
  }
}

/**
 * The village is ready when every member lists every member (gossip converged) and can call every
 * other member's conductor (peer addresses known: before that, calls fail with "no url for peer").
 */
export async function waitUntilAllSeeAll(members: InstalledMember[], timeoutMs: number, witnesses: InstalledMember[] = []): Promise<void> {
  const waitFor = readinessWaiter(timeoutMs);
  for (const m of members) {
    await waitFor(`${m.name} sees every member`, async () => (await m.ledger.members()).length >= members.length);
    for (const other of [...members, ...witnesses]) {
      if (other !== m) await waitFor(`${m.name} reaches ${other.name}`, () => m.ledger.isReachable(other.agent));
    }
  }
}

/** Each of `viewers` lists `memberCount` members and reaches every witness. */
async function waitUntilListed(viewers: InstalledMember[], memberCount: number, witnesses: InstalledMember[], timeoutMs: number): Promise<void> {
  const waitFor = readinessWaiter(timeoutMs);
  for (const viewer of viewers) {
    await waitFor(`${viewer.name} lists ${memberCount} members`, async () => (await viewer.ledger.members()).length >= memberCount);
    for (const witness of witnesses) await waitFor(`${viewer.name} reaches ${witness.name}`, () => viewer.ledger.isReachable(witness.agent));
  }
}

/** Polls a readiness check until it holds, failing with what was not ready once `timeoutMs` has passed. */
function readinessWaiter(timeoutMs: number): (what: string, ready: () => Promise<boolean>) => Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return async (what, ready) => {
    while (!(await ready().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms: ${what}`);
      await sleep(250);
    }
  };
}

export type { Running };
export { PLAIN_PROPERTIES, SEED_PROPERTIES, type VillageProperties } from "./properties.js";
