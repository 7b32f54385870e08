// The village box's invitation desk. On the village LAN it answers three requests from joining
// machines: GET /village (name, DNA hash and where to find peers, so the machine can check its
// invitation and make its conductor and key), GET /happ (the box's packed app, so a member's
// machine runs the village's exact build without compiling it) and POST /join {token, agent} (the
// steward's signed invitation for that agent key: the membrane proof, with the village's
// properties and network seed). On the box's control socket,
// readable by the box's own user only, the steward asks for new invitations: POST /invitations
// {name}. Tokens are stored hashed, used once (a retry by the same key gets the same answer, so a
// join that failed half way can resume) and expire. A witness station named at founding asks
// POST /station {agent, secret} for the village it witnesses.
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { encodeHashToBase64, decodeHashFromBase64, type AgentPubKey } from "@holochain/client";
import { LedgerError, type LedgerClient } from "../../client/src/index.js";
import { encodeInvitationCode, TOKEN_BYTES } from "./invitation-code.js";
import type { VillageProperties } from "./properties.js";
import { provenStation, type StationRecord, type StationTicket } from "./station.js";

export const INVITATION_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const MAX_BODY_BYTES = 4096;

/** What a joining machine needs to install the village's hApp for its own key. */
export interface JoinTicket {
  village_name: string;
  /** The name the steward invited this member under; the member's listing must use it. */
  name: string;
  properties: VillageProperties;
  network_seed: string;
  bootstrap_url: string;
  /** base64 of the membrane proof bytes. */
  membrane_proof: string;
  /** The village DNA's hash (Holochain base64): a machine with another build of the app would not reach the village. */
  dna_hash: string;
}

export interface VillageInfo {
  village_name: string;
  bootstrap_url: string;
  /** Absent from a box of an earlier version. */
  dna_hash?: string;
}

interface StoredInvitation {
  token_sha256: string;
  name: string;
  expires_at: number;
  /** Set once redeemed: the key it was redeemed for and the proof given. */
  agent?: string;
  membrane_proof?: string;
}

export interface DeskOptions {
  /** LAN host (the box's address) and port. */
  host: string;
  port: number;
  controlSocket: string;
  invitationsFile: string;
  /** The packed app the box runs, handed to joining machines. */
  happPath: string;
  steward: LedgerClient;
  village: VillageInfo & { properties: VillageProperties; network_seed: string; dna_hash: string };
  stations: StationRecord[];
}

export interface InvitationDesk {
  address: string;
  close(): Promise<void>;
}

class DeskError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new DeskError(413, "request too large");
    chunks.push(chunk);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error();
    return body as Record<string, unknown>;
  } catch {
    throw new DeskError(400, "the body must be a JSON object");
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  response.end(JSON.stringify(body));
}

export async function startInvitationDesk(options: DeskOptions): Promise<InvitationDesk> {
  const load = (): StoredInvitation[] =>
    existsSync(options.invitationsFile) ? (JSON.parse(readFileSync(options.invitationsFile, "utf8")) as StoredInvitation[]) : [];
  const save = (all: StoredInvitation[]) => writeFileSync(options.invitationsFile, JSON.stringify(all, null, 1), { mode: 0o600 });
  // One request at a time: redeeming reads, signs and writes the invitations file.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };
  const deskAddress = `${options.host}:${options.port}`;

  const invite = async (body: Record<string, unknown>) => {
    const name = typeof body.name === "string" ? body.name.trim() : "";
    if (!name) throw new DeskError(400, "give the member's name");
    const all = load();
    const taken = (await options.steward.members()).some((m) => m.name.toLowerCase() === name.toLowerCase());
    const pending = all.some((i) => i.name.toLowerCase() === name.toLowerCase() && !i.agent && i.expires_at > Date.now());
    if (taken) throw new DeskError(409, `a member is already called "${name}"`);
    if (pending) throw new DeskError(409, `"${name}" already has an invitation waiting; it expires in at most 7 days`);
    const token = randomBytes(TOKEN_BYTES);
    const expires_at = Date.now() + INVITATION_LIFETIME_MS;
    all.push({ token_sha256: sha256(token), name, expires_at });
    save(all);
    return {
      name,
      code: encodeInvitationCode({ desk: deskAddress, token, dnaHash: options.village.dna_hash }),
      expires_at: new Date(expires_at).toISOString(),
    };
  };

  const join = async (body: Record<string, unknown>): Promise<JoinTicket> => {
    let token: Buffer;
    let agent: AgentPubKey;
    try {
      token = Buffer.from(String(body.token), "base64url");
      agent = decodeHashFromBase64(String(body.agent));
    } catch {
      throw new DeskError(400, "give the invitation's token and the joining agent's key");
    }
    const all = load();
    const invitation = all.find((i) => i.token_sha256 === sha256(token));
    if (!invitation) throw new DeskError(404, "this village has no such invitation: ask a steward for a new code");
    const agentText = encodeHashToBase64(agent);
    if (invitation.agent && invitation.agent !== agentText) throw new DeskError(409, "this invitation was already used by another machine");
    if (!invitation.agent && invitation.expires_at < Date.now()) throw new DeskError(410, "this invitation has expired: ask a steward for a new code");
    if (!invitation.membrane_proof) {
      const issued = await options.steward.issueInvitation(agent, invitation.name).catch((error: unknown) => {
        if (error instanceof LedgerError && error.code === "name_taken") throw new DeskError(409, error.message);
        throw error;
      });
      invitation.agent = agentText;
      invitation.membrane_proof = Buffer.from(issued.membrane_proof).toString("base64");
      save(all);
    }
    const { village } = options;
    return {
      village_name: village.village_name,
      name: invitation.name,
      properties: village.properties,
      network_seed: village.network_seed,
      bootstrap_url: village.bootstrap_url,
      membrane_proof: invitation.membrane_proof,
      dna_hash: village.dna_hash,
    };
  };

  const station = async (body: Record<string, unknown>): Promise<StationTicket> => {
    const agent = typeof body.agent === "string" ? body.agent : "";
    const secret = Buffer.from(typeof body.secret === "string" ? body.secret : "", "base64url");
    if (!provenStation(options.stations, agent, secret)) throw new DeskError(403, "this village names no witness station with that key and secret");
    const { village } = options;
    return { village_name: village.village_name, properties: village.properties, network_seed: village.network_seed, dna_hash: village.dna_hash };
  };

  const handler = (routes: Record<string, (body: Record<string, unknown>) => Promise<unknown>>) => (request: IncomingMessage, response: ServerResponse) => {
    const route = `${request.method} ${request.url?.split("?")[0]}`;
    const handle = routes[route];
    if (!handle) return reply(response, 404, { error: `no ${route} here` });
    serially(async () => handle(request.method === "POST" ? await readJson(request) : {}))
      .then((body) => reply(response, 200, body))
      .catch((error: unknown) => {
        const status = error instanceof DeskError ? error.status : 500;
        reply(response, status, { error: error instanceof Error ? error.message : String(error) });
      });
  };
  const villageInfo = async (): Promise<VillageInfo> => ({
    village_name: options.village.village_name,
    bootstrap_url: options.village.bootstrap_url,
    dna_hash: options.village.dna_hash,
  });
  // The app is public (any member's machine holds it); what makes a member is the invitation.
  const sendHapp = (response: ServerResponse) => {
    const happ = readFileSync(options.happPath);
    response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": happ.length, "Cache-Control": "no-store" });
    response.end(happ);
  };
  const lanRoutes = handler({ "GET /village": villageInfo, "POST /join": join, "POST /station": station });
  const lan = createServer((request, response) =>
    request.method === "GET" && request.url?.split("?")[0] === "/happ" ? sendHapp(response) : lanRoutes(request, response),
  );
  const control = createServer(handler({ "POST /invitations": invite }));
  const listen = (server: Server, ...args: unknown[]) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      (server.listen as (...a: unknown[]) => void)(...args, resolve);
    });
  await listen(lan, options.port, options.host);
  rmSync(options.controlSocket, { force: true });
  await listen(control, options.controlSocket);
  chmodSync(options.controlSocket, 0o600);
  return {
    address: deskAddress,
    close: async () => {
      await Promise.all([lan, control].map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}

/** The steward's side of the control socket: asks the running box for a new invitation. */
export async function requestInvitation(controlSocket: string, name: string): Promise<{ name: string; code: string; expires_at: string }> {
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: controlSocket, path: "/invitations", method: "POST", headers: { "Content-Type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error?: string };
        if (res.statusCode === 200) resolve(body as { name: string; code: string; expires_at: string });
        else reject(new Error(body.error ?? `the box answered ${res.statusCode}`));
      });
    });
    req.on("error", (error) => reject(new Error(`cannot reach the village box at ${controlSocket}: is it running? (${error.message})`)));
    req.end(JSON.stringify({ name }));
  });
}
