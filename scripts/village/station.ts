// A witness station: a second always-on machine, in another part of the village's LAN (the far
// end of a valley, the other building), holding one of the village's witnesses on its own
// conductor. A payment needs a majority of the village's witnesses: when the LAN splits, the side
// holding that majority pays, over the connections its machines made before the cut, and the
// other side writes vouchers until it heals.
//
// A station's key is named in the village's properties, so the station comes first:
//   1. `village -- station --box <box address>` makes the station's conductor and key and prints
//      a station code (its key and a one-time secret);
//   2. the steward founds the box with `--station <code>`;
//   3. the station, still waiting, asks the box's desk for the village (with its secret), installs
//      the hApp for its key and runs the witness. Started again later, it resumes.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { decode, encode } from "@msgpack/msgpack";
import { decodeHashFromBase64, encodeHashToBase64, type AgentPubKey } from "@holochain/client";
import { createConductorConfigs, startConductor } from "./network.js";
import { closeConnection, connectAdmin, installOrConnect, type InstalledMember } from "./member.js";
import { keepSessionsSettled } from "./session-keeper.js";
import { fetchVillageApp } from "./desk-client.js";
import { villageDnaHash } from "./dna-hash.js";
import type { VillageProperties } from "./properties.js";

const CONDUCTOR = "conductor";
const APP_ID = "witness-station";
const STATION_WITNESS_NAME = "Station witness";
const CODE_PREFIX = "cs1-";
const SECRET_BYTES = 16;
const AGENT_BYTES = 39;
/** How often a station waiting for its village asks the box's desk again. */
const ASK_PERIOD_MS = 3_000;
/** How often a waiting station says it is still waiting (every 20 asks: a minute). */
const ASKS_PER_REMINDER = 20;

/** What the steward gives the box: the station's witness key and the secret it will ask with. */
export interface StationCode {
  agent: AgentPubKey;
  secret: Uint8Array;
}

/** What the box keeps of a station: its key, and its secret hashed. */
export interface StationRecord {
  agent: string;
  secret_sha256: string;
}

/** What the box's desk gives a station that shows its secret. */
export interface StationTicket {
  village_name: string;
  properties: VillageProperties;
  network_seed: string;
  dna_hash: string;
}

export function encodeStationCode(code: StationCode): string {
  return CODE_PREFIX + Buffer.from(encode([code.agent, code.secret])).toString("base64url");
}

export function decodeStationCode(text: string): StationCode {
  const trimmed = text.trim();
  const invalid = (why: string) => new Error(`not a witness station code (${why}): ${JSON.stringify(trimmed.slice(0, 80))}`);
  if (!trimmed.startsWith(CODE_PREFIX)) throw invalid(`it should start with ${CODE_PREFIX}`);
  let fields: unknown;
  try {
    fields = decode(Buffer.from(trimmed.slice(CODE_PREFIX.length), "base64url"));
  } catch {
    throw invalid("it is damaged: check it was copied whole");
  }
  if (!Array.isArray(fields) || fields.length !== 2) throw invalid("wrong shape");
  const [agent, secret] = fields as [unknown, unknown];
  if (!(agent instanceof Uint8Array) || agent.length !== AGENT_BYTES) throw invalid("no agent key");
  if (!(secret instanceof Uint8Array) || secret.length !== SECRET_BYTES) throw invalid("no secret");
  return { agent: agent as AgentPubKey, secret };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export function stationRecordOf(code: StationCode): StationRecord {
  return { agent: encodeHashToBase64(code.agent), secret_sha256: sha256(code.secret) };
}

/** The station among `stations` that `agent` and `secret` prove, if any. */
export function provenStation(stations: StationRecord[], agent: string, secret: Uint8Array): StationRecord | undefined {
  const hashed = Buffer.from(sha256(secret), "hex");
  return stations.find((s) => s.agent === agent && timingSafeEqual(Buffer.from(s.secret_sha256, "hex"), hashed));
}

/** `station.json`: written once the key exists, so a station stopped before founding keeps its code. */
interface StationState {
  box: string;
  code: string;
  ticket?: StationTicket;
}

export interface StationOptions {
  dataDir: string;
  /** The village box's LAN address (its bootstrap/relay and desk run on the usual ports there). */
  box?: string;
  bootstrapPort: number;
  deskPort: number;
  passphrase: string;
  /** Told the station code as soon as it exists (before the box is founded with it). */
  onCode(code: string): void;
  /** Told every minute while the box's desk does not answer. */
  onStillWaiting(desk: string): void;
}

export interface WitnessStation {
  villageName: string;
  dnaHash: string;
  agent: AgentPubKey;
  witness: InstalledMember;
  stop(): Promise<void>;
}

async function askForTicket(desk: string, code: StationCode): Promise<StationTicket | "not_yet"> {
  let response: Response;
  try {
    response = await fetch(`http://${desk}/station`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ agent: encodeHashToBase64(code.agent), secret: Buffer.from(code.secret).toString("base64url") }),
    });
  } catch {
    return "not_yet"; // the box is not running yet: the steward founds it with this station's code
  }
  const answer = (await response.json().catch(() => ({}))) as StationTicket & { error?: string };
  if (!response.ok) throw new Error(`the village box refused this station: ${answer.error ?? response.status}`);
  return answer;
}

export async function startWitnessStation(options: StationOptions): Promise<WitnessStation> {
  const dataDir = resolve(options.dataDir);
  const statePath = join(dataDir, "station.json");
  const saved = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, "utf8")) as StationState) : undefined;
  const box = saved?.box ?? options.box;
  if (!box) throw new Error(`${dataDir} holds no witness station yet: give the village box's LAN address with --box`);
  if (saved && options.box && options.box !== saved.box) throw new Error(`${dataDir} is the station of the box at ${saved.box}, not ${options.box}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const configPath = join(dataDir, CONDUCTOR, "conductor-config.yaml");
  if (!existsSync(configPath)) await createConductorConfigs(dataDir, [CONDUCTOR], `http://${box}:${options.bootstrapPort}`, options.passphrase);
  const conductor = await startConductor(CONDUCTOR, configPath, dataDir, options.passphrase);
  const stoppables: { stop(): Promise<unknown> }[] = [conductor];
  const stop = async () => {
    for (const s of stoppables.reverse()) await s.stop().catch(() => {});
  };
  try {
    const admin = await connectAdmin(conductor.adminPort);
    stoppables.push({ stop: () => closeConnection(admin) });
    let state: StationState = saved ?? { box, code: encodeStationCode({ agent: await admin.generateAgentPubKey(), secret: randomBytes(SECRET_BYTES) }) };
    writeFileSync(statePath, JSON.stringify(state, null, 1), { mode: 0o600 });
    const code = decodeStationCode(state.code);
    if (!state.ticket) {
      options.onCode(state.code);
      const desk = `${box}:${options.deskPort}`;
      for (let asked = 1; ; asked++) {
        const answer = await askForTicket(desk, code);
        if (answer !== "not_yet") {
          state = { ...state, ticket: answer };
          break;
        }
        if (asked % ASKS_PER_REMINDER === 0) options.onStillWaiting(desk);
        await sleep(ASK_PERIOD_MS);
      }
    }
    const ticket = state.ticket!;
    // The box's own packed app: the station runs the village's exact build without compiling it.
    const happPath = join(dataDir, "village.happ");
    if (!existsSync(happPath)) await fetchVillageApp(`${box}:${options.deskPort}`, happPath);
    const wouldMake = await villageDnaHash(happPath, ticket.properties, ticket.network_seed);
    if (wouldMake !== ticket.dna_hash) {
      rmSync(happPath, { force: true }); // fetched again at the next start
      throw new Error(
        `the app the box at ${box} handed over would make village ${wouldMake}, but the box names village ${ticket.dna_hash}: nothing was installed; is the box running the same version of commons-credit as this station?`,
      );
    }
    const witness = await installOrConnect({
      credentialsFile: join(dataDir, "signing.json"),
      sessionFile: join(dataDir, "payment-session.bin"),
      admin,
      agent: code.agent,
      happPath,
      appId: APP_ID,
      name: STATION_WITNESS_NAME,
      properties: ticket.properties,
      networkSeed: ticket.network_seed,
    });
    stoppables.push({ stop: () => closeConnection(witness.app) });
    const dnaHash = encodeHashToBase64(witness.cellId[0]);
    if (dnaHash !== ticket.dna_hash) {
      // Fetched again at the next start, and nothing of it left installed.
      rmSync(happPath, { force: true });
      await admin.uninstallApp({ installed_app_id: APP_ID });
      throw new Error(
        `the app the box at ${box} handed over makes village ${dnaHash}, but the box names village ${ticket.dna_hash}: is the box running the same version of commons-credit as this station?`,
      );
    }
    // Recorded once installed, so a station whose install failed asks the desk again.
    writeFileSync(statePath, JSON.stringify(state, null, 1), { mode: 0o600 });
    const keeper = keepSessionsSettled([{ name: STATION_WITNESS_NAME, ledger: witness.ledger }]);
    stoppables.push({ stop: async () => keeper.stop() });
    return { villageName: ticket.village_name, dnaHash, agent: code.agent, witness, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A station key as the box's founding properties list it. */
export const stationAgentOf = (record: StationRecord): AgentPubKey => decodeHashFromBase64(record.agent);
