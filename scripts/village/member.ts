// Installing the ledger hApp for one agent on a conductor and connecting to it as that agent.
import {
  AdminWebsocket,
  AppWebsocket,
  generateSigningKeyPair,
  randomCapSecret,
  setSigningCredentials,
  type AgentPubKey,
  type CellId,
  type SigningCredentials,
} from "@holochain/client";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { LedgerClient, SessionMemoryInProcess, type SessionMemory } from "../../client/src/index.js";
import type { VillageProperties } from "./properties.js";

const ORIGIN = "commons-credit";

export interface InstalledMember {
  name: string;
  agent: AgentPubKey;
  cellId: CellId;
  appPort: number;
  token: number[];
  credentials: SigningCredentials;
  app: AppWebsocket;
  ledger: LedgerClient;
  admin: AdminWebsocket;
}

export interface InstallOptions {
  admin: AdminWebsocket;
  /** Generated beforehand, so a village's founding properties can name its treasury and boundary. */
  agent: AgentPubKey;
  happPath: string;
  appId: string;
  name: string;
  properties: VillageProperties;
  networkSeed: string;
  /** A steward's invitation (founders have none). */
  membraneProof?: Uint8Array;
  /** Where a machine's node keeps its zome-call signing credentials across restarts. */
  credentialsFile?: string;
  /** Where a machine's node keeps the payment session its agent is in across restarts (`SessionMemory`). */
  sessionFile?: string;
}

/** Closing a connection whose conductor is already gone never resolves: wait this long at most. */
const CLOSE_TIMEOUT_MS = 3_000;

/** Closes a websocket to a conductor, within CLOSE_TIMEOUT_MS. */
export async function closeConnection(socket: AppWebsocket | AdminWebsocket): Promise<void> {
  const closing = (socket.client as unknown as { close(): Promise<unknown> }).close().catch(() => {});
  await Promise.race([closing, sleep(CLOSE_TIMEOUT_MS)]);
}

/** Installs the app as `options` say, or, when this conductor already has it (a restart), connects to it. */
export async function installOrConnect(options: InstallOptions): Promise<InstalledMember> {
  const installed = (await options.admin.listApps({})).some((app) => app.installed_app_id === options.appId);
  return installed
    ? connectInstalledApp(options.admin, options.appId, options.name, options.agent, options.credentialsFile, options.sessionFile)
    : installMember(options);
}

export function connectAdmin(adminPort: number): Promise<AdminWebsocket> {
  return AdminWebsocket.connect({ url: new URL(`ws://127.0.0.1:${adminPort}`), wsClientOptions: { origin: ORIGIN } });
}

export async function installMember(options: InstallOptions): Promise<InstalledMember> {
  const { admin, agent } = options;
  await admin.installApp({
    source: { type: "path", value: options.happPath },
    agent_key: agent,
    installed_app_id: options.appId,
    network_seed: options.networkSeed,
    roles_settings: {
      ledger: { type: "provisioned", value: { membrane_proof: options.membraneProof, modifiers: { properties: options.properties } } },
    },
  });
  await admin.enableApp({ installed_app_id: options.appId });
  return connectInstalledApp(admin, options.appId, options.name, agent, options.credentialsFile, options.sessionFile);
}

/**
 * Connects to an app already installed (and enabled) on this conductor: a fresh app interface,
 * token and signing grant, as after every conductor start (none of them outlive the process).
 */
export async function connectInstalledApp(
  admin: AdminWebsocket,
  appId: string,
  name: string,
  agent: AgentPubKey,
  credentialsFile?: string,
  sessionFile?: string,
): Promise<InstalledMember> {
  const { port: appPort } = await admin.attachAppInterface({ allowed_origins: "*" });
  const { token } = await admin.issueAppAuthenticationToken({ installed_app_id: appId, single_use: false, expiry_seconds: 0 });
  const app = await AppWebsocket.connect({ url: new URL(`ws://127.0.0.1:${appPort}`), token, wsClientOptions: { origin: ORIGIN } });
  const cellInfo = Object.values(app.cachedAppInfo!.cell_info)[0]![0]!;
  const cellId = (cellInfo.value as { cell_id: CellId }).cell_id;
  const credentials = credentialsFile ? await keptSigning(admin, cellId, credentialsFile) : await authorizeSigning(admin, cellId);
  const sessions = sessionFile ? new SessionMemoryInFile(sessionFile) : new SessionMemoryInProcess();
  return { name, agent, cellId, appPort, token, credentials, app, ledger: new LedgerClient(app, "ledger", "ledger", sessions), admin };
}

/** A node's memory of the payment session its member is in, beside its keystore (SessionMemory). */
export class SessionMemoryInFile implements SessionMemory {
  constructor(private readonly path: string) {}
  keep(bytes: Uint8Array | undefined): void {
    if (bytes) writeFileSync(this.path, bytes, { mode: 0o600 });
    else rmSync(this.path, { force: true });
  }
  recall(): Uint8Array | undefined {
    return existsSync(this.path) ? new Uint8Array(readFileSync(this.path)) : undefined;
  }
}

/**
 * A machine's node keeps its zome-call signing credentials (mode 0600, beside its keystore) and
 * grants them once: granting writes to the chain, which Holochain refuses while a payment session
 * a crash interrupted still locks it, and that session can only be settled through zome calls.
 */
async function keptSigning(admin: AdminWebsocket, cellId: CellId, path: string): Promise<SigningCredentials> {
  if (existsSync(path)) {
    const kept = JSON.parse(readFileSync(path, "utf8")) as Record<"capSecret" | "publicKey" | "privateKey" | "signingKey", string>;
    const bytes = (b64: string) => Uint8Array.from(Buffer.from(b64, "base64"));
    const credentials = {
      capSecret: bytes(kept.capSecret),
      keyPair: { publicKey: bytes(kept.publicKey), privateKey: bytes(kept.privateKey), keyType: "ed25519" },
      signingKey: bytes(kept.signingKey),
    } as unknown as SigningCredentials;
    setSigningCredentials(cellId, credentials);
    return credentials;
  }
  const credentials = await authorizeSigning(admin, cellId);
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
  const { capSecret, keyPair, signingKey } = credentials as unknown as {
    capSecret: Uint8Array;
    keyPair: { publicKey: Uint8Array; privateKey: Uint8Array };
    signingKey: Uint8Array;
  };
  writeFileSync(
    path,
    JSON.stringify({ capSecret: b64(capSecret), publicKey: b64(keyPair.publicKey), privateKey: b64(keyPair.privateKey), signingKey: b64(signingKey) }),
    { mode: 0o600 },
  );
  return credentials;
}

/**
 * @holochain/client 0.21.0's `authorizeSigningCredentials` sends the cap grant shape of Holochain
 * 0.7.0, which 0.7.1 refuses ("Failed to deserialize request"). Grant with the 0.7.1 shape instead.
 */
export async function authorizeSigning(admin: AdminWebsocket, cellId: CellId): Promise<SigningCredentials> {
  const [keyPair, signingKey] = await generateSigningKeyPair();
  const capSecret = await randomCapSecret();
  await admin.grantZomeCallCapability({
    cell_id: cellId,
    cap_grant: {
      tag: "zome-call-signing-key",
      constraint: { type: "assigned", value: { secret: capSecret, assignees: [signingKey] } },
      grant: { functions: { type: "all" } },
    },
  } as unknown as Parameters<AdminWebsocket["grantZomeCallCapability"]>[0]);
  const credentials = { capSecret, keyPair, signingKey };
  setSigningCredentials(cellId, credentials);
  return credentials;
}
