// The page's client of its node (`node-wire.ts`): the ledger calls the page makes, run and signed
// by the node, and the node's own controls. In a browser the device token travels as the node's
// HttpOnly cookie; elsewhere (the tests' simulated pages) as a bearer token.
import { isErrorCode, LedgerError } from "../../client/src/page.js";
import {
  encodeMessage,
  PAGE_LEDGER_METHODS,
  readFrames,
  RPC_CONTENT_TYPE,
  RPC_PATH,
  type NodeMethod,
  type NodeStatus,
  type PageLedger,
  type PageSessionInfo,
  type PairedDevice,
  type PairingInvite,
  type RpcRequest,
} from "./node-wire.js";

/** This device is not (or no longer) paired with the member's node. */
export class NotPaired extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotPaired";
  }
}

export interface NodeClientOptions {
  /** The page's origin; the current one in a browser. */
  baseUrl?: string;
  /** Whom to act as on a node serving several members; null for its first (a member's node has one). */
  member: string | null;
  /** A device token, for a client that is not a browser holding the cookie. */
  token?: string;
}

export class NodeClient {
  readonly ledger: PageLedger;

  constructor(private readonly options: NodeClientOptions) {
    const methods = Object.fromEntries(
      PAGE_LEDGER_METHODS.map((method) => [
        method,
        (...args: unknown[]) => {
          // A payment's progress callback stays here; the node streams the stages to it.
          const onProgress = method === "pay" && typeof args[4] === "function" ? (args[4] as (stage: unknown) => void) : undefined;
          const sent = method === "pay" ? args.slice(0, 4) : args;
          while (sent.length > 0 && sent[sent.length - 1] === undefined) sent.pop();
          return this.call("ledger", method, sent, onProgress);
        },
      ]),
    );
    this.ledger = methods as unknown as PageLedger;
  }

  session(): Promise<PageSessionInfo> {
    return this.node("session");
  }

  status(): Promise<NodeStatus> {
    return this.node("status");
  }

  devices(): Promise<PairedDevice[]> {
    return this.node("devices");
  }

  newPairing(): Promise<PairingInvite> {
    return this.node("newPairing");
  }

  revokeDevice(id: string): Promise<boolean> {
    return this.node("revokeDevice", id);
  }

  private node<T>(method: NodeMethod, ...args: unknown[]): Promise<T> {
    return this.call("node", method, args) as Promise<T>;
  }

  private async call(target: RpcRequest["target"], method: string, args: unknown[], onProgress?: (progress: unknown) => void): Promise<unknown> {
    const request: RpcRequest = { target, method, args, member: this.options.member };
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl ?? ""}${RPC_PATH}`, {
        method: "POST",
        headers: { "Content-Type": RPC_CONTENT_TYPE, ...(this.options.token ? { Authorization: `Bearer ${this.options.token}` } : {}) },
        body: encodeMessage(request) as BodyInit,
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (error) {
      throw new LedgerError("conductor_error", "This page's node does not answer: is it still running?", String(error));
    }
    if (response.status === 401) throw new NotPaired(await response.text());
    if (!response.ok || !response.body) throw new LedgerError("conductor_error", `The node refused: ${(await response.text()).slice(0, 300)}`);
    for await (const frame of readFrames(response.body)) {
      if ("progress" in frame) onProgress?.(frame.progress);
      else if ("ok" in frame) return frame.ok ?? undefined;
      else {
        const { code, message, detail } = frame.error;
        throw new LedgerError(isErrorCode(code) ? code : "conductor_error", message, detail);
      }
    }
    throw new LedgerError("conductor_error", "The node's answer ended early: it may have stopped.");
  }
}
