// The node's side of the page (`src/node-wire.ts`): runs the ledger calls a page asks for with the
// node's own client (which signs them on this machine), and pairs devices. A member's node answers
// only paired devices; the one-machine village of `npm start` answers whoever reaches its loopback.
// Requests must name this node by a host it serves (no DNS rebinding) and come as msgpack (a
// cross-site form cannot send that without a preflight, which is never granted).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AgentPubKey } from "@holochain/client";
import { type LedgerClient, toLedgerError } from "../client/src/index.js";
import { deviceNameOf, type Pairing } from "./pairing.js";
import {
  encodeFrame,
  decodeMessage,
  NODE_METHODS,
  PAGE_LEDGER_METHODS,
  PAIR_PATH,
  RPC_CONTENT_TYPE,
  RPC_PATH,
  type NodeMethod,
  type NodeStatus,
  type PageLedgerMethod,
  type PageSessionInfo,
  type PairingInvite,
  type RpcFrame,
  type RpcRequest,
} from "./src/node-wire.js";

const MAX_REQUEST_BYTES = 64 * 1024;

/** A member the page may act as; read on every request, so a node that reconnected serves its new client. */
export interface PageMember {
  name: string;
  agent: AgentPubKey;
  ledger: LedgerClient;
}

export interface NodeRpcOptions {
  members(): PageMember[];
  /** The conductor's state as the node knows it; "running" when absent. */
  status?(): NodeStatus;
  /** Devices must pair (a member's node). Absent: loopback only, no pairing (`npm start`). */
  pairing?: Pairing;
  /** Where a pairing link points (the page's LAN address when it serves one). */
  pairingBase?(): string;
  /** Host names the page is served under. */
  hosts(): string[];
}

const RUNNING: NodeStatus = { state: "running", since: new Date(0).toISOString(), message: "" };

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  response.end(message);
}

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new HttpRefusal(413, "request too large");
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function parseRequest(bytes: Uint8Array): RpcRequest {
  let request: unknown;
  try {
    request = decodeMessage(bytes);
  } catch {
    throw new HttpRefusal(400, "the body is not msgpack");
  }
  const r = request as Partial<RpcRequest>;
  const known = r.target === "ledger" ? (PAGE_LEDGER_METHODS as readonly string[]) : r.target === "node" ? (NODE_METHODS as readonly string[]) : [];
  if (typeof r.method !== "string" || !known.includes(r.method) || !Array.isArray(r.args) || (r.member !== null && typeof r.member !== "string")) {
    throw new HttpRefusal(400, "not a call this node answers");
  }
  return r as RpcRequest;
}

/** Handles the page's calls and pairing links; returns false for any other request. */
export function nodeRpcHandler(options: NodeRpcOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  const hostAllowed = (request: IncomingMessage) => {
    const host = (request.headers.host ?? "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
    return options.hosts().includes(host);
  };

  const pair = (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const pairing = options.pairing;
    if (!pairing) return refuse(response, 404, "this page needs no pairing");
    const paired = pairing.redeem(url.searchParams.get("secret") ?? "", deviceNameOf(request));
    if (!paired) {
      response.writeHead(403, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      response.end(
        `<!doctype html><meta name="viewport" content="width=device-width"><title>Pairing link used</title><p>This pairing link was already used, or has expired. On a device already paired with this member's page, choose <b>Pair a phone</b> for a new one; or restart the node, which prints a new link for this machine.</p>`,
      );
      return;
    }
    response.writeHead(303, {
      // HttpOnly: no script on the page can read it; Strict: no other site's page sends it.
      "Set-Cookie": `${pairing.cookieName}=${paired.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${10 * 365 * 24 * 3600}`,
      Location: "/",
      "Cache-Control": "no-store",
    });
    response.end();
  };

  const nodeCall = (method: NodeMethod, args: unknown[], device: ReturnType<Pairing["deviceOf"]>): unknown => {
    const pairing = options.pairing;
    switch (method) {
      case "session":
        return { memberNames: options.members().map((m) => m.name), pairing: pairing !== undefined } satisfies PageSessionInfo;
      case "status":
        return options.status?.() ?? RUNNING;
      case "devices":
        return pairing?.list(device) ?? [];
      case "newPairing": {
        if (!pairing || !options.pairingBase) throw new HttpRefusal(404, "this page needs no pairing");
        const { secret, expiresAt } = pairing.newLink();
        return { url: `${options.pairingBase()}${PAIR_PATH}?secret=${secret}`, expires_at: expiresAt.toISOString() } satisfies PairingInvite;
      }
      case "revokeDevice":
        return pairing?.revoke(String(args[0])) ?? false;
    }
  };

  const call = async (request: IncomingMessage, response: ServerResponse) => {
    if (!(request.headers["content-type"] ?? "").startsWith(RPC_CONTENT_TYPE)) throw new HttpRefusal(415, `send ${RPC_CONTENT_TYPE}`);
    const device = options.pairing?.deviceOf(request);
    if (options.pairing && !device) throw new HttpRefusal(401, "this device is not paired with this member's node");
    const rpc = parseRequest(await readBody(request));
    const members = options.members();
    const member = rpc.member === null ? members[0] : members.find((m) => m.name === rpc.member);
    response.writeHead(200, { "Content-Type": "application/octet-stream", "Cache-Control": "no-store" });
    const send = (frame: RpcFrame) => response.write(encodeFrame(frame));
    try {
      if (rpc.target === "node") {
        send({ ok: nodeCall(rpc.method as NodeMethod, rpc.args, device) ?? null });
      } else {
        if (!member) throw new HttpRefusal(404, `no member called ${JSON.stringify(rpc.member)} here`);
        const method = rpc.method as PageLedgerMethod;
        // msgpack has no undefined: a nil argument is an argument left out (its default applies).
        const args = rpc.args.map((arg) => (arg === null ? undefined : arg));
        // A payment's progress goes to the page as it happens.
        if (method === "pay") args[4] = (stage: unknown) => send({ progress: stage });
        const ledger = member.ledger as unknown as Record<PageLedgerMethod, (...a: unknown[]) => Promise<unknown>>;
        send({ ok: (await ledger[method].apply(member.ledger, args)) ?? null });
      }
    } catch (error) {
      const refusal = toLedgerError(error instanceof HttpRefusal ? new Error(error.message) : error);
      send({ error: { code: refusal.code, message: refusal.message, detail: refusal.detail } });
    }
    response.end();
  };

  return (request, response) => {
    const url = new URL(request.url ?? "/", "http://page");
    if (url.pathname !== RPC_PATH && url.pathname !== PAIR_PATH) return false;
    if (!hostAllowed(request)) {
      refuse(response, 403, "this page is not served under that name");
      return true;
    }
    if (url.pathname === PAIR_PATH && request.method === "GET") {
      pair(request, response, url);
      return true;
    }
    if (url.pathname !== RPC_PATH || request.method !== "POST") {
      refuse(response, 405, "not here");
      return true;
    }
    call(request, response).catch((error: unknown) => {
      if (response.headersSent) return response.end();
      const status = error instanceof HttpRefusal ? error.status : 500;
      refuse(response, status, error instanceof Error ? error.message : String(error));
    });
    return true;
  };
}
