// The village box: the always-on machine of a village's LAN (a Raspberry Pi, an old laptop). It
// runs the bootstrap/relay server every member's conductor finds its peers through, one conductor
// holding the village's founding agents (the witnesses, a majority of which countersigns every payment, the
// steward who signs invitations, the commons treasury and the cash desk), and the invitation desk.
// A village may also name witness stations (`station.ts`) at founding: their witnesses run on
// other machines of the LAN, and the desk gives them the village when they show their secret.
// Its data directory keeps the keystore (locked by the steward's passphrase), the conductor's data
// and the founding record, so starting it again resumes the same village.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { encodeHashToBase64, type AdminWebsocket, type AgentPubKey } from "@holochain/client";
import { createConductorConfigs, startBootstrapServer, startConductor } from "./network.js";
import { closeConnection, connectAdmin, installOrConnect, type InstalledMember } from "./member.js";
import { startInvitationDesk, type InvitationDesk } from "./invitation-desk.js";
import { keepSessionsSettled } from "./session-keeper.js";
import type { VillageProperties } from "./properties.js";
import type { Running } from "./processes.js";
import { stationAgentOf, stationRecordOf, type StationCode, type StationRecord } from "./station.js";

export const BOX_BOOTSTRAP_PORT = 7700;
export const BOX_DESK_PORT = 7701;
const CONDUCTOR = "conductor";

type FoundingRole = "witness" | "steward" | "treasury" | "boundary";

/** One founding agent of the box's conductor. */
interface FoundingAgent {
  role: FoundingRole;
  app_id: string;
  name: string;
  /** 39 bytes, as in the DNA properties. */
  agent: number[];
}

/** `box.json`: written once when the village is founded. */
interface FoundingRecord {
  properties: VillageProperties;
  network_seed: string;
  agents: FoundingAgent[];
  /** Witness stations named at founding (absent in villages founded without any). */
  stations?: StationRecord[];
}

export interface BoxOptions {
  dataDir: string;
  /** The box's LAN address, where members' machines reach it. */
  host: string;
  bootstrapPort?: number;
  deskPort?: number;
  passphrase: string;
  /** The village's parameters; used only when the data directory has no village yet. */
  found: VillageProperties;
  /** How many witness agents (payments are spread over them, one session each at a time). */
  witnesses?: number;
  /** Witness stations' codes: their witnesses join the village's at founding, and only then. */
  stations?: StationCode[];
  happPath: string;
  /** Told each step of the start as it begins (the first start takes a minute or two). */
  say?: (line: string) => void;
}

export interface VillageBox {
  villageName: string;
  bootstrapUrl: string;
  deskAddress: string;
  controlSocket: string;
  dnaHash: string;
  founders: InstalledMember[];
  stop(): Promise<void>;
}

export const controlSocketOf = (dataDir: string) => join(resolve(dataDir), "control.sock");

function foundingAgents(witnesses: number): Omit<FoundingAgent, "agent">[] {
  return [
    ...Array.from({ length: witnesses }, (_, i) => ({ role: "witness" as const, app_id: `witness-${i + 1}`, name: `Village witness ${i + 1}` })),
    { role: "steward", app_id: "steward", name: "Village steward" },
    { role: "treasury", app_id: "treasury", name: "Commons treasury" },
    { role: "boundary", app_id: "cash-desk", name: "Cash desk" },
  ];
}

async function found(admin: AdminWebsocket, options: BoxOptions): Promise<FoundingRecord> {
  const count = options.witnesses ?? 3;
  const stationCount = options.stations?.length ?? 0;
  if (!Number.isInteger(count) || count < 1 || count + stationCount > 11)
    throw new Error("a village has 1 to 11 witnesses, its stations' included, and one at least on the box");
  const agents: FoundingAgent[] = [];
  for (const spec of foundingAgents(count)) agents.push({ ...spec, agent: Array.from(await admin.generateAgentPubKey()) });
  const keysOf = (role: FoundingRole) => agents.filter((a) => a.role === role).map((a) => a.agent);
  const stations = (options.stations ?? []).map(stationRecordOf);
  return {
    properties: {
      ...options.found,
      stewards: keysOf("steward"),
      witnesses: [...keysOf("witness"), ...stations.map((s) => Array.from(stationAgentOf(s)))],
      treasury: keysOf("treasury")[0]!,
      boundary: keysOf("boundary")[0]!,
      founder_names: agents.filter((a) => a.role !== "witness").map((a) => ({ agent: a.agent, name: a.name })),
    },
    network_seed: `village-${randomBytes(12).toString("hex")}`,
    agents,
    stations,
  };
}

export async function startVillageBox(options: BoxOptions): Promise<VillageBox> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stoppables: { stop(): Promise<unknown> }[] = [];
  const stop = async () => {
    for (const s of stoppables.reverse()) await s.stop().catch(() => {});
  };
  const say = options.say ?? (() => {});
  try {
    say("Starting the bootstrap and relay server...");
    const bootstrap: { url: string; running: Running } = await startBootstrapServer(dataDir, `${options.host}:${options.bootstrapPort ?? BOX_BOOTSTRAP_PORT}`);
    stoppables.push(bootstrap.running);
    const configPath = join(dataDir, CONDUCTOR, "conductor-config.yaml");
    if (!existsSync(configPath)) await createConductorConfigs(dataDir, [CONDUCTOR], bootstrap.url, options.passphrase);
    say("Starting the box's conductor (it opens the keystore with the passphrase)...");
    const conductor = await startConductor(CONDUCTOR, configPath, dataDir, options.passphrase);
    stoppables.push(conductor);
    const admin = await connectAdmin(conductor.adminPort);
    stoppables.push({ stop: () => closeConnection(admin) });

    // The founding record is written before anything is installed, so a box stopped half way
    // through founding resumes with the same keys (and so the same village).
    const recordPath = join(dataDir, "box.json");
    if (!existsSync(recordPath)) writeFileSync(recordPath, JSON.stringify(await found(admin, options), null, 1), { mode: 0o600 });
    const record = JSON.parse(readFileSync(recordPath, "utf8")) as FoundingRecord;
    const stations = record.stations ?? [];
    for (const station of (options.stations ?? []).map(stationRecordOf)) {
      if (!stations.some((s) => s.agent === station.agent)) {
        throw new Error(`this village was founded without the station ${station.agent}: a witness station joins a village only when it is founded`);
      }
    }
    const founders: InstalledMember[] = [];
    say(`Installing the village's founding agents (${record.agents.map((a) => a.name).join(", ")}); the first time, the conductor compiles the app...`);
    for (const founder of record.agents) {
      const agent = Uint8Array.from(founder.agent) as AgentPubKey;
      const member = await installOrConnect({
        credentialsFile: join(dataDir, `signing-${founder.app_id}.json`),
        sessionFile: join(dataDir, `payment-session-${founder.app_id}.bin`),
        admin,
        agent,
        happPath: options.happPath,
        appId: founder.app_id,
        name: founder.name,
        properties: record.properties,
        networkSeed: record.network_seed,
      });
      stoppables.push({ stop: () => closeConnection(member.app) });
      // The treasury and the cash desk hold accounts, so they are listed members; joining twice is a no-op.
      if (founder.role === "treasury" || founder.role === "boundary") await member.ledger.joinVillage(founder.name);
      founders.push(member);
    }
    const steward = founders[record.agents.findIndex((a) => a.role === "steward")]!;
    const dnaHash = encodeHashToBase64(steward.cellId[0]);
    const controlSocket = controlSocketOf(dataDir);
    say("Opening the invitation desk...");
    const desk: InvitationDesk = await startInvitationDesk({
      host: options.host,
      port: options.deskPort ?? BOX_DESK_PORT,
      controlSocket,
      invitationsFile: join(dataDir, "invitations.json"),
      happPath: options.happPath,
      steward: steward.ledger,
      village: {
        village_name: record.properties.village_name,
        bootstrap_url: bootstrap.url,
        properties: record.properties,
        network_seed: record.network_seed,
        dna_hash: dnaHash,
      },
      stations,
    });
    stoppables.push({ stop: () => desk.close() });
    const keeper = keepSessionsSettled(founders);
    stoppables.push({ stop: async () => keeper.stop() });
    return {
      villageName: record.properties.village_name,
      bootstrapUrl: bootstrap.url,
      deskAddress: desk.address,
      controlSocket,
      dnaHash,
      founders,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
