// A whole village on this machine: its bootstrap/relay server, one conductor per member, the
// ledger hApp installed for each, every member joined and seeing the others. Used by the tests,
// `npm start` and the benchmark. Countersigning needs a peer besides the two parties online
// (measured: 0 of 15 sessions otherwise), so a village has at least three conductors.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createConductorConfigs, startBootstrapServer, startConductor, type Conductor } from "./network.js";
import { connectAdmin, installMember, type InstalledMember } from "./member.js";
import { PLAIN_PROPERTIES, type VillageProperties } from "./properties.js";
import type { Running } from "./processes.js";

const ROOT = resolve(import.meta.dirname, "../..");
export const VILLAGE_HAPP = join(ROOT, "workdir/commons_credit.happ");
export const FORGER_HAPP = join(ROOT, "tests/forger/commons_credit_forger.happ");

const STOP_TIMEOUT_MS = 6_000;

export interface MemberSpec {
  name: string;
  /** Defaults to the village hApp; tests give some members the forger hApp. */
  happPath?: string;
  /** The commons treasury or the cash boundary: named in the village's founding properties. */
  role?: "treasury" | "boundary";
}

export interface VillageOptions {
  members: MemberSpec[];
  /** Defaults to plain mutual credit; the treasury and boundary keys are filled in from `role`s. */
  properties?: VillageProperties;
  networkSeed?: string;
  workDir?: string;
  /** How long to wait for every member to see every other. */
  syncTimeoutMs?: number;
}

export interface Village {
  workDir: string;
  bootstrapUrl: string;
  properties: VillageProperties;
  members: (InstalledMember & { conductor: Conductor })[];
  member(name: string): InstalledMember & { conductor: Conductor };
  stop(): Promise<void>;
}

export async function startVillage(options: VillageOptions): Promise<Village> {
  if (options.members.length < 3) throw new Error("a village needs at least three conductors for countersigning");
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "commons-credit-"));
  const baseProperties = options.properties ?? PLAIN_PROPERTIES;
  const networkSeed = options.networkSeed ?? `village-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const stoppables: { stop(): Promise<void> }[] = [];
  // Bounded: closing a websocket to a conductor that is already gone never resolves.
  const stopAll = async () => {
    await Promise.all(stoppables.map((s) => Promise.race([s.stop().catch(() => {}), sleep(STOP_TIMEOUT_MS)])));
  };
  try {
    const bootstrap = await startBootstrapServer(workDir);
    stoppables.push(bootstrap.running);
    const slugs = options.members.map((m, i) => `${i}-${m.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`);
    const configs = await createConductorConfigs(workDir, slugs, bootstrap.url);
    const conductors: Conductor[] = [];
    for (const [i, slug] of slugs.entries()) {
      const conductor = await startConductor(slug, configs[i]!, workDir);
      stoppables.push({ stop: () => conductor.stop() });
      conductors.push(conductor);
    }
    // Every agent key first: the founding properties name the treasury and the boundary.
    const admins = await Promise.all(conductors.map((c) => connectAdmin(c.adminPort)));
    for (const admin of admins) stoppables.unshift({ stop: () => admin.client.close().then(() => {}) });
    const agents = await Promise.all(admins.map((admin) => admin.generateAgentPubKey()));
    const agentWithRole = (role: MemberSpec["role"]) => {
      const index = options.members.findIndex((m) => m.role === role);
      return index < 0 ? null : Array.from(agents[index]!);
    };
    const properties: VillageProperties = { ...baseProperties, treasury: agentWithRole("treasury"), boundary: agentWithRole("boundary") };
    // Installs compile the wasm: two at a time keeps a 2-core machine responsive.
    const members: Village["members"] = [];
    for (let i = 0; i < options.members.length; i += 2) {
      const batch = options.members.slice(i, i + 2).map(async (spec, j) => {
        const conductor = conductors[i + j]!;
        const installed = await installMember({
          admin: admins[i + j]!,
          agent: agents[i + j]!,
          happPath: spec.happPath ?? VILLAGE_HAPP,
          appId: "commons-credit",
          name: spec.name,
          properties,
          networkSeed,
        });
        stoppables.unshift({ stop: async () => { await (installed.app.client as unknown as { close(): Promise<unknown> }).close().catch(() => {}); } });
        return { ...installed, conductor };
      });
      members.push(...(await Promise.all(batch)));
    }
    for (const m of members) await m.ledger.joinVillage(m.name);
    await waitUntilAllSeeAll(members, options.syncTimeoutMs ?? 120_000);
    return {
      workDir,
      bootstrapUrl: bootstrap.url,
      properties,
      members,
      member(name) {
        const found = members.find((m) => m.name === name);
        if (!found) throw new Error(`no member ${name}`);
        return found;
      },
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
export async function waitUntilAllSeeAll(members: InstalledMember[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const waitFor = async (what: string, ready: () => Promise<boolean>) => {
    while (!(await ready().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms: ${what}`);
      await sleep(250);
    }
  };
  for (const m of members) {
    await waitFor(`${m.name} sees every member`, async () => (await m.ledger.members()).length >= members.length);
    for (const other of members) {
      if (other !== m) await waitFor(`${m.name} reaches ${other.name}`, () => m.ledger.isReachable(other.agent));
    }
  }
}

export type { Running };
export { PLAIN_PROPERTIES, SEED_PROPERTIES, type VillageProperties } from "./properties.js";
