// What the page and its node say to each other. The page never holds a signing key, an app token
// or a conductor port: it asks its node (`ui/node-rpc.ts`) to run the ledger client's calls for
// the member, and the node signs. One POST to `/node/rpc` per call; the answer streams frames
// (a payment's progress, then its outcome), each a 4-byte length and a msgpack body. Amounts
// are bigints on both sides (an extension type: never a float); bytes stay bytes.
import { decode, encode, ExtensionCodec } from "@msgpack/msgpack";
import type { LedgerClient } from "../../client/src/index.js";

export const RPC_PATH = "/node/rpc";
export const PAIR_PATH = "/pair";
export const RPC_CONTENT_TYPE = "application/msgpack";

/** The ledger calls a page may ask of its node: reading, paying, vouchers. Nothing else. */
export const PAGE_LEDGER_METHODS = [
  "village",
  "members",
  "whoami",
  "myAccount",
  "myBalance",
  "villageLedger",
  "recentHistory",
  "myVouchers",
  "connection",
  "isReachable",
  "pay",
  "issueVoucher",
  "redeemVoucher",
  "reclaimVoucher",
] as const satisfies readonly (keyof LedgerClient)[];

export type PageLedgerMethod = (typeof PAGE_LEDGER_METHODS)[number];
export type PageLedger = Pick<LedgerClient, PageLedgerMethod>;

/** The node's own controls: who the page may act as, its conductor, paired devices. */
export const NODE_METHODS = ["session", "status", "devices", "newPairing", "revokeDevice"] as const;
export type NodeMethod = (typeof NODE_METHODS)[number];

/** Whom the page may act as, and whether this node pairs devices (a member's own node does). */
export interface PageSessionInfo {
  memberNames: string[];
  pairing: boolean;
}

/** How the machine's conductor is doing: "running" unless its node is restarting it or gave up. */
export interface NodeStatus {
  state: "running" | "restarting" | "stopped";
  /** ISO time of the change. */
  since: string;
  message: string;
}

export interface PairedDevice {
  id: string;
  name: string;
  paired_at: string;
  last_seen: string;
  /** The device asking. */
  current: boolean;
}

export interface PairingInvite {
  /** Opened once, on the device to pair, within its lifetime. */
  url: string;
  expires_at: string;
}

export interface RpcRequest {
  target: "ledger" | "node";
  method: string;
  args: unknown[];
  /** Whom to act as, on a node serving several members (`npm start`); its only member otherwise. */
  member: string | null;
}

export type RpcFrame = { progress: unknown } | { ok: unknown } | { error: { code: string; message: string; detail?: string } };

const BIGINT_EXTENSION = 0;
const codec = new ExtensionCodec();
codec.register({
  type: BIGINT_EXTENSION,
  encode: (value: unknown) => (typeof value === "bigint" ? new TextEncoder().encode(value.toString()) : null),
  decode: (data: Uint8Array) => BigInt(new TextDecoder().decode(data)),
});

export function encodeMessage(value: unknown): Uint8Array {
  return encode(value, { extensionCodec: codec, ignoreUndefined: true });
}

export function decodeMessage(bytes: Uint8Array): unknown {
  return decode(bytes, { extensionCodec: codec });
}

/** One frame: its length (4 bytes, big-endian), then its msgpack body. */
export function encodeFrame(frame: RpcFrame): Uint8Array {
  const body = encodeMessage(frame);
  const framed = new Uint8Array(4 + body.length);
  new DataView(framed.buffer).setUint32(0, body.length);
  framed.set(body, 4);
  return framed;
}

/** Reads frames off a stream of bytes as they arrive. */
export async function* readFrames(stream: ReadableStream<Uint8Array>): AsyncGenerator<RpcFrame> {
  const reader = stream.getReader();
  let buffered = new Uint8Array(0);
  for (;;) {
    while (buffered.length >= 4) {
      const length = new DataView(buffered.buffer, buffered.byteOffset).getUint32(0);
      if (buffered.length < 4 + length) break;
      yield decodeMessage(buffered.subarray(4, 4 + length)) as RpcFrame;
      buffered = buffered.slice(4 + length);
    }
    const { value, done } = await reader.read();
    if (done) return;
    const joined = new Uint8Array(buffered.length + value.length);
    joined.set(buffered);
    joined.set(value, buffered.length);
    buffered = joined;
  }
}
