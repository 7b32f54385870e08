// A member's own node, on their own machine: a conductor whose keystore holds only this member's
// key (locked by their passphrase), the village's hApp installed with the membrane proof the
// village box's desk gave for that key, and the payment page on this machine's loopback. Its data
// directory survives restarts: starting again reopens the same keys, chain and village.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { decodeHashFromBase64, encodeHashToBase64, type AgentPubKey } from "@holochain/client";
import { createConductorConfigs, startConductor, type Conductor } from "./network.js";
import { closeConnection, connectAdmin, connectInstalledApp, installOrConnect, type InstalledMember } from "./member.js";
import { decodeInvitationCode } from "./invitation-code.js";
import type { JoinTicket, VillageInfo } from "./invitation-desk.js";
import { startUi, writeSessionFile, type UiServer } from "../../ui/server.js";
import { forward, type Forwarder } from "../gateway/forward.js";
import { keepSessionsSettled } from "./session-keeper.js";

const CONDUCTOR = "conductor";
const APP_ID = "commons-credit";
export const DEFAULT_UI_PORT = 5173;

/** `member.json`: what this machine knows of its membership, written step by step so a join resumes. */
interface MemberRecord {
  code: string;
  agent: string;
  ticket?: JoinTicket;
}

export interface MemberNodeOptions {
  dataDir: string;
  passphrase: string;
  happPath: string;
  /** The page's port on this machine's loopback; 0 picks a free one. */
  uiPort?: number;
}

export interface MemberNode {
  name: string;
  villageName: string;
  agent: AgentPubKey;
  member: InstalledMember;
  conductor: Conductor;
  ui: UiServer;
  /** The page, also as a Unix socket (for a gateway from another namespace). */
  uiSocket: string;
  stop(): Promise<void>;
}

const recordPathOf = (dataDir: string) => join(dataDir, "member.json");
const credentialsPathOf = (dataDir: string) => join(dataDir, "signing.json");
/** The payment session the member's agent is in, kept across restarts (`SessionMemory`). */
const paymentSessionPathOf = (dataDir: string) => join(dataDir, "payment-session.bin");

async function askDesk<T>(desk: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(
      `http://${desk}${path}`,
      body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
    );
  } catch (error) {
    throw new Error(
      `cannot reach the village box at ${desk}: is this machine on the village network? (${error instanceof Error ? (error.cause ?? error.message) : error})`,
    );
  }
  const answer = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(`the village box refused: ${answer.error ?? response.status}`);
  return answer;
}

/**
 * Joins a village on this machine with an invitation code: makes this member's conductor and
 * key, redeems the invitation for that key at the box's desk, installs and lists the member, then
 * runs the node. Run again after a failure, it resumes with the same key.
 */
export async function joinByInvitation(code: string, options: MemberNodeOptions): Promise<MemberNode> {
  const invitation = decodeInvitationCode(code);
  const dataDir = resolve(options.dataDir);
  const recordPath = recordPathOf(dataDir);
  const existing = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, "utf8")) as MemberRecord) : undefined;
  if (existing?.ticket)
    throw new Error(`${dataDir} already holds ${existing.ticket.name}'s node in ${existing.ticket.village_name}: start it instead of joining again`);
  // An unfinished join (refused, or stopped half way) blocks nothing: this machine's key is kept and
  // the new invitation is redeemed for it (the desk binds each invitation to the key it is redeemed for).
  if (existing && existing.code !== code.trim()) console.log(`${dataDir} holds an unfinished join: trying again with this invitation, for the same key.`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const info = await askDesk<VillageInfo>(invitation.desk, "/village");
  const configPath = join(dataDir, CONDUCTOR, "conductor-config.yaml");
  if (!existsSync(configPath)) await createConductorConfigs(dataDir, [CONDUCTOR], info.bootstrap_url, options.passphrase);
  const conductor = await startConductor(CONDUCTOR, configPath, dataDir, options.passphrase);
  try {
    const admin = await connectAdmin(conductor.adminPort);
    const record: MemberRecord = existing
      ? { ...existing, code: code.trim() }
      : { code: code.trim(), agent: encodeHashToBase64(await admin.generateAgentPubKey()) };
    writeFileSync(recordPath, JSON.stringify(record, null, 1), { mode: 0o600 });
    const ticket = await askDesk<JoinTicket>(invitation.desk, "/join", { token: Buffer.from(invitation.token).toString("base64url"), agent: record.agent });
    const agent = decodeHashFromBase64(record.agent);
    const member = await installOrConnect({
      credentialsFile: credentialsPathOf(dataDir),
      sessionFile: paymentSessionPathOf(dataDir),
      admin,
      agent,
      happPath: options.happPath,
      appId: APP_ID,
      name: ticket.name,
      properties: ticket.properties,
      networkSeed: ticket.network_seed,
      membraneProof: Buffer.from(ticket.membrane_proof, "base64"),
    });
    const dnaHash = encodeHashToBase64(member.cellId[0]);
    if (dnaHash !== ticket.dna_hash) {
      // Nothing of the wrong build stays installed: after updating, the same command joins.
      await closeMember(member);
      await admin.uninstallApp({ installed_app_id: APP_ID });
      throw new Error(
        `this machine's build of commons-credit makes village ${dnaHash}, the box's makes ${ticket.dna_hash}: check out the same version as the village box and run the same join command again`,
      );
    }
    await member.ledger.joinVillage(ticket.name);
    writeFileSync(recordPath, JSON.stringify({ ...record, ticket }, null, 1), { mode: 0o600 });
    return await serve(dataDir, ticket, member, conductor, options);
  } catch (error) {
    await conductor.stop();
    throw error;
  }
}

/** Starts this machine's node again (after a restart, or when the member stopped it). */
export async function startMemberNode(options: MemberNodeOptions): Promise<MemberNode> {
  const dataDir = resolve(options.dataDir);
  const recordPath = recordPathOf(dataDir);
  const record = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, "utf8")) as MemberRecord) : undefined;
  if (!record?.ticket) throw new Error(`${dataDir} holds no member node yet: join a village with an invitation code first`);
  const conductor = await startConductor(CONDUCTOR, join(dataDir, CONDUCTOR, "conductor-config.yaml"), dataDir, options.passphrase);
  try {
    const admin = await connectAdmin(conductor.adminPort);
    const member = await connectInstalledApp(
      admin,
      APP_ID,
      record.ticket.name,
      decodeHashFromBase64(record.agent),
      credentialsPathOf(dataDir),
      paymentSessionPathOf(dataDir),
    );
    return await serve(dataDir, record.ticket, member, conductor, options);
  } catch (error) {
    await conductor.stop();
    throw error;
  }
}

async function closeMember(member: InstalledMember): Promise<void> {
  await Promise.all([closeConnection(member.app), closeConnection(member.admin)]);
}

/** The payment page for this member only: the session file names no one else's keys. */
async function serve(dataDir: string, ticket: JoinTicket, member: InstalledMember, conductor: Conductor, options: MemberNodeOptions): Promise<MemberNode> {
  const sessionFile = join(dataDir, "session.json");
  writeSessionFile(sessionFile, { properties: ticket.properties, members: [member] });
  const ui = await startUi({ sessionFile, port: options.uiPort ?? DEFAULT_UI_PORT });
  const uiSocket = join(dataDir, "ui.sock");
  const gateway: Forwarder = await forward({ path: uiSocket }, { port: Number(new URL(ui.url).port) });
  const keeper = keepSessionsSettled([{ name: ticket.name, ledger: member.ledger }]);
  return {
    name: ticket.name,
    villageName: ticket.village_name,
    agent: member.agent,
    member,
    conductor,
    ui,
    uiSocket,
    async stop() {
      keeper.stop();
      await gateway.close().catch(() => {});
      await ui.close().catch(() => {});
      await closeMember(member);
      await conductor.stop();
    },
  };
}
