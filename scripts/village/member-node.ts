// A member's own node, on their own machine: a conductor whose keystore holds only this member's
// key (locked by their passphrase), the village's hApp (as the box's desk hands it, so every member
// runs the village's exact build) installed with the membrane proof the desk gave for that key,
// and the payment page on this machine's loopback. Its data
// directory survives restarts: starting again reopens the same keys, chain and village.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { decodeHashFromBase64, encodeHashToBase64, type AgentPubKey } from "@holochain/client";
import { createConductorConfigs, startConductor, type Conductor } from "./network.js";
import { closeConnection, connectAdmin, connectInstalledApp, installOrConnect, type InstalledMember } from "./member.js";
import { decodeInvitationCode, type InvitationCode } from "./invitation-code.js";
import { askDesk, fetchVillageApp } from "./desk-client.js";
import { villageDnaHash } from "./dna-hash.js";
import type { JoinTicket, VillageInfo } from "./invitation-desk.js";
import { startUi, type UiServer } from "../../ui/server.js";
import { Pairing } from "../../ui/pairing.js";
import { PAIR_PATH, type NodeStatus } from "../../ui/src/node-wire.js";
import { forward, type Forwarder } from "../gateway/forward.js";
import { keepSessionsSettled } from "./session-keeper.js";
import { watchConductor } from "./conductor-watch.js";

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
  /** Told each step of a join as it starts (the slow ones take minutes), and what happens to the conductor. */
  say?: (line: string) => void;
  /** The page's port on this machine's loopback; 0 picks a free one. */
  uiPort?: number;
  /** Also serve the page on this LAN address (same port), for the member's phone once paired. */
  lanHost?: string;
}

export interface MemberNode {
  name: string;
  villageName: string;
  agent: AgentPubKey;
  member: InstalledMember;
  conductor: Conductor;
  ui: UiServer;
  /** Pairs the browser that opens it (once, within ten minutes): printed at each start. */
  pairingUrl: string;
  /** The page, also as a Unix socket (for a gateway from another namespace). */
  uiSocket: string;
  stop(): Promise<void>;
}

const recordPathOf = (dataDir: string) => join(dataDir, "member.json");
/** The village's packed app as the box's desk handed it. */
const happPathOf = (dataDir: string) => join(dataDir, "village.happ");
const credentialsPathOf = (dataDir: string) => join(dataDir, "signing.json");
/** The payment session the member's agent is in, kept across restarts (`SessionMemory`). */
const paymentSessionPathOf = (dataDir: string) => join(dataDir, "payment-session.bin");

/** The invitation read and its box asked: the box must run the village the code names. */
export interface CheckedInvitation {
  invitation: InvitationCode;
  village: VillageInfo;
}

/**
 * Reads an invitation code and asks its box about the village, before the member is asked for
 * anything: a damaged code, a box out of reach or a box running another village is said at once.
 */
export async function checkInvitation(code: string): Promise<CheckedInvitation> {
  const invitation = decodeInvitationCode(code);
  const village = await askDesk<VillageInfo>(invitation.desk, "/village");
  if (invitation.dnaHash && village.dna_hash && invitation.dnaHash !== village.dna_hash) {
    throw new Error(
      `this invitation is for village ${invitation.dnaHash}, but the box at ${invitation.desk} runs village ${village.dna_hash}: ask the steward who invited you for a new code`,
    );
  }
  return { invitation, village };
}

/**
 * Joins a village on this machine with an invitation code: makes this member's conductor and
 * key, redeems the invitation for that key at the box's desk, installs and lists the member, then
 * runs the node. Run again after a failure, it resumes with the same key.
 */
export async function joinByInvitation(code: string, options: MemberNodeOptions): Promise<MemberNode> {
  const progress = options.say ?? (() => {});
  const { invitation, village: info } = await checkInvitation(code);
  const dataDir = resolve(options.dataDir);
  const recordPath = recordPathOf(dataDir);
  const existing = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, "utf8")) as MemberRecord) : undefined;
  if (existing?.ticket)
    throw new Error(`${dataDir} already holds ${existing.ticket.name}'s node in ${existing.ticket.village_name}: start it instead of joining again`);
  // An unfinished join (refused, or stopped half way) blocks nothing: this machine's key is kept and
  // the new invitation is redeemed for it (the desk binds each invitation to the key it is redeemed for).
  if (existing && existing.code !== code.trim()) console.log(`${dataDir} holds an unfinished join: trying again with this invitation, for the same key.`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  progress(`Fetching ${info.village_name}'s app from the village box at ${invitation.desk}...`);
  const happPath = happPathOf(dataDir);
  await fetchVillageApp(invitation.desk, happPath);
  progress("Starting this machine's conductor and making your key...");
  const configPath = join(dataDir, CONDUCTOR, "conductor-config.yaml");
  if (!existsSync(configPath)) await createConductorConfigs(dataDir, [CONDUCTOR], info.bootstrap_url, options.passphrase);
  const conductor = await startConductor(CONDUCTOR, configPath, dataDir, options.passphrase);
  try {
    const admin = await connectAdmin(conductor.adminPort);
    const record: MemberRecord = existing
      ? { ...existing, code: code.trim() }
      : { code: code.trim(), agent: encodeHashToBase64(await admin.generateAgentPubKey()) };
    writeFileSync(recordPath, JSON.stringify(record, null, 1), { mode: 0o600 });
    progress("Redeeming the invitation for your key...");
    const ticket = await askDesk<JoinTicket>(invitation.desk, "/join", { token: Buffer.from(invitation.token).toString("base64url"), agent: record.agent });
    const agent = decodeHashFromBase64(record.agent);
    // The village the app would make with this village's settings, before anything is installed.
    const invitedTo = invitation.dnaHash ?? ticket.dna_hash;
    const wouldMake = await villageDnaHash(happPath, ticket.properties, ticket.network_seed);
    if (wouldMake !== invitedTo) {
      rmSync(happPath, { force: true });
      throw new Error(
        `the app the box at ${invitation.desk} handed over would make village ${wouldMake}, not the village ${invitedTo} you were invited to: nothing was installed or joined; tell the steward`,
      );
    }
    progress(`Installing ${ticket.village_name}'s app (the first time, the conductor compiles it: a minute or two)...`);
    const member = await installOrConnect({
      credentialsFile: credentialsPathOf(dataDir),
      sessionFile: paymentSessionPathOf(dataDir),
      admin,
      agent,
      happPath,
      appId: APP_ID,
      name: ticket.name,
      properties: ticket.properties,
      networkSeed: ticket.network_seed,
      membraneProof: Buffer.from(ticket.membrane_proof, "base64"),
    });
    const dnaHash = encodeHashToBase64(member.cellId[0]);
    if (dnaHash !== invitedTo) {
      // Checked before installing too; should the two ever disagree, nothing of the wrong app stays.
      await closeMember(member);
      await admin.uninstallApp({ installed_app_id: APP_ID });
      throw new Error(
        `the app the box at ${invitation.desk} handed over makes village ${dnaHash}, not the village ${invitedTo} you were invited to: nothing was joined; tell the steward`,
      );
    }
    progress(`Listing you as ${ticket.name}...`);
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
  options.say?.(`Starting ${record.ticket.name}'s conductor (it opens the keystore with your passphrase)...`);
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

/** The payment page for this member only, for the devices the member paired; the key stays here. */
async function serve(dataDir: string, ticket: JoinTicket, first: InstalledMember, conductor: Conductor, options: MemberNodeOptions): Promise<MemberNode> {
  const say = options.say ?? (() => {});
  let member = first;
  let status: NodeStatus = { state: "running", since: new Date().toISOString(), message: "" };
  const setStatus = (state: NodeStatus["state"], message: string) => {
    status = { state, since: new Date().toISOString(), message };
  };
  // A node of an earlier version wrote the page's session (with the signing key) to a file; nothing reads it now.
  rmSync(join(dataDir, "session.json"), { force: true });
  const pairing = new Pairing(join(dataDir, "devices.json"));
  const ui = await startUi({
    port: options.uiPort ?? DEFAULT_UI_PORT,
    lanHost: options.lanHost,
    members: () => [{ name: ticket.name, agent: member.agent, ledger: member.ledger }],
    status: () => status,
    pairing,
  });
  const uiSocket = join(dataDir, "ui.sock");
  const gateway: Forwarder = await forward({ path: uiSocket }, { port: Number(new URL(ui.url).port) });
  let keeper = keepSessionsSettled([{ name: ticket.name, ledger: member.ledger }]);
  const watch = watchConductor(conductor, {
    down: async (how) => {
      keeper.stop();
      say(`Your conductor stopped (it ${how}): starting it again...`);
      setStatus("restarting", "This machine's Holochain conductor stopped; your node is starting it again. Payments wait until it is back.");
      await closeMember(member).catch(() => {});
    },
    back: async () => {
      const admin = await connectAdmin(conductor.adminPort);
      member = await connectInstalledApp(admin, APP_ID, ticket.name, member.agent, credentialsPathOf(dataDir), paymentSessionPathOf(dataDir));
      keeper = keepSessionsSettled([{ name: ticket.name, ledger: member.ledger }]);
      setStatus("running", "");
      say("Your conductor is running again; the page reconnects by itself.");
    },
    gaveUp: (reason) => {
      const log = join(dataDir, `${CONDUCTOR}.log`);
      say(`Your conductor could not be kept running (${reason}). Its log: ${log}. Stop this node (Ctrl-C) and start it again with: npm run village -- member`);
      setStatus("stopped", `This machine's Holochain conductor keeps stopping (${reason}). Stop the node and start it again; its log is ${log}.`);
    },
  });
  return {
    name: ticket.name,
    villageName: ticket.village_name,
    agent: member.agent,
    get member() {
      return member;
    },
    conductor,
    ui,
    pairingUrl: `${ui.url.replace(/\/$/, "")}${PAIR_PATH}?secret=${pairing.newLink().secret}`,
    uiSocket,
    async stop() {
      watch.stop();
      keeper.stop();
      await gateway.close().catch(() => {});
      await ui.close().catch(() => {});
      await closeMember(member).catch(() => {});
      await conductor.stop();
    },
  };
}
