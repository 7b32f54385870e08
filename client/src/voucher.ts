// Offline vouchers as they travel between members: the action recording the voucher on the
// payer's chain, the payer's signature over it and the entry it names, each as the payer's
// conductor serialized them (msgpack), packed into one short text code (and a QR of it). The
// payee's app checks a code with no network at all: the signature is the payer's (Ed25519, with
// libsodium), the entry is the one the action names (its BLAKE2b-256 hash), and it is a voucher.
// The zome checks all of it again, and everything else, when the voucher is redeemed.
import { decode, encode } from "@msgpack/msgpack";
import sodium from "libsodium-wrappers";
import type { AgentPubKey } from "@holochain/client";
import { amountsFromWire } from "./wire.js";
import { sameBytes, toBase64Url } from "./bytes.js";
import type { Payment } from "./types.js";

const PREFIX = "ccv1-";
/** Holochain hashes: a 3-byte type prefix, the 32-byte core, a 4-byte location. */
const CORE = [3, 35] as const;

/** A voucher as the zome returns it (`SignedVoucher`). */
export interface SignedVoucher {
  action: Uint8Array;
  signature: Uint8Array;
  entry: Uint8Array;
}

/** What a voucher says, once its signature and entry are checked. */
export interface CheckedVoucher {
  payer: AgentPubKey;
  payee: AgentPubKey;
  amount: bigint;
  /** What the payee receives: the amount less the village's levies, paid by the payer. */
  credited: bigint;
  memo: string;
  /** Microseconds since the epoch. */
  written_at: number;
  expires_at: number;
}

export class VoucherCodeError extends Error {
  override name = "VoucherCodeError";
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function encodeVoucherCode(voucher: SignedVoucher): string {
  return PREFIX + toBase64Url(encode([voucher.action, voucher.signature, voucher.entry]));
}

export function decodeVoucherCode(code: string): SignedVoucher {
  const text = code.trim();
  if (!text.startsWith(PREFIX)) throw new VoucherCodeError("not a voucher code (it starts with ccv1-)");
  let parts: unknown;
  try {
    parts = decode(fromBase64Url(text.slice(PREFIX.length)));
  } catch {
    throw new VoucherCodeError("the voucher code is damaged");
  }
  if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((p) => p instanceof Uint8Array)) {
    throw new VoucherCodeError("the voucher code is damaged");
  }
  const [action, signature, entry] = parts as Uint8Array[];
  return { action: action!, signature: signature!, entry: entry! };
}

/**
 * A voucher as its QR code carries it: the same three parts, deflated, in Base45 (RFC 9285, as the
 * EU's health certificates do), which a QR code holds in its alphanumeric mode at 5.5 bits a
 * character against the 8 of a `ccv1-` text: about half the modules, so each is larger on a
 * phone's screen and another phone's camera reads it. A scanned text becomes a `ccv1-` code again
 * (`voucherCodeOf`).
 */
const QR_PREFIX = "CCV1:";
const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

function toBase45(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      const n = bytes[i]! * 256 + bytes[i + 1]!;
      text += BASE45[n % 45]! + BASE45[Math.floor(n / 45) % 45]! + BASE45[Math.floor(n / 2025)]!;
    } else {
      const n = bytes[i]!;
      text += BASE45[n % 45]! + BASE45[Math.floor(n / 45)]!;
    }
  }
  return text;
}

function fromBase45(text: string): Uint8Array {
  const digits = Array.from(text, (c) => {
    const d = BASE45.indexOf(c);
    if (d < 0) throw new VoucherCodeError("the voucher code is damaged");
    return d;
  });
  if (digits.length % 3 === 1) throw new VoucherCodeError("the voucher code is damaged");
  const bytes: number[] = [];
  for (let i = 0; i < digits.length; i += 3) {
    const n = digits[i]! + digits[i + 1]! * 45 + (i + 2 < digits.length ? digits[i + 2]! * 2025 : 0);
    if (i + 2 < digits.length) {
      if (n > 0xffff) throw new VoucherCodeError("the voucher code is damaged");
      bytes.push(n >> 8, n & 0xff);
    } else {
      if (n > 0xff) throw new VoucherCodeError("the voucher code is damaged");
      bytes.push(n);
    }
  }
  return Uint8Array.from(bytes);
}

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const piped = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

/** The text a voucher's QR code carries (see QR_PREFIX). */
export async function voucherQrText(code: string): Promise<string> {
  const { action, signature, entry } = decodeVoucherCode(code);
  return QR_PREFIX + toBase45(await through(encode([action, signature, entry]), new CompressionStream("deflate-raw")));
}

/** A voucher's `ccv1-` code from what the member pasted or scanned: the code itself, or its QR's text. */
export async function voucherCodeOf(text: string): Promise<string> {
  const trimmed = text.trim();
  if (!trimmed.toUpperCase().startsWith(QR_PREFIX)) return trimmed;
  let packed: Uint8Array;
  try {
    packed = await through(fromBase45(trimmed.slice(QR_PREFIX.length).toUpperCase()), new DecompressionStream("deflate-raw"));
  } catch {
    throw new VoucherCodeError("the voucher code is damaged");
  }
  return PREFIX + toBase64Url(packed);
}

/** A field of a decoded msgpack map, by name. */
function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array) ? (value as Record<string, unknown>)[name] : undefined;
}

/** Checks a voucher code offline and says what it is worth; throws VoucherCodeError if it is not genuine. */
export async function checkVoucherCode(code: string): Promise<CheckedVoucher> {
  const voucher = decodeVoucherCode(code);
  await sodium.ready;
  let action: unknown;
  let entry: unknown;
  try {
    action = decode(voucher.action);
    entry = decode(voucher.entry);
  } catch {
    throw new VoucherCodeError("the voucher code is damaged");
  }
  const author = field(field(action, "header"), "author");
  const entryHash = field(field(action, "data"), "entry_hash");
  if (!(author instanceof Uint8Array) || author.length !== 39 || !(entryHash instanceof Uint8Array) || entryHash.length !== 39) {
    throw new VoucherCodeError("the voucher's action cannot be read");
  }
  if (voucher.signature.length !== sodium.crypto_sign_BYTES || !sodium.crypto_sign_verify_detached(voucher.signature, voucher.action, author.slice(...CORE))) {
    throw new VoucherCodeError("the voucher is not signed by the payer it names");
  }
  if (!sameBytes(sodium.crypto_generichash(32, voucher.entry, null), entryHash.slice(...CORE))) {
    throw new VoucherCodeError("the voucher's entry is not the one its payer signed");
  }
  const bytes = field(entry, "entry");
  if (field(entry, "entry_type") !== "App" || !(bytes instanceof Uint8Array)) throw new VoucherCodeError("this is not a voucher");
  const payment = amountsFromWire<Payment>(decode(bytes));
  if (payment.kind?.type !== "Voucher" || !sameBytes(payment.payer.agent, author)) throw new VoucherCodeError("this is not a voucher");
  return {
    payer: payment.payer.agent,
    payee: payment.payee.agent,
    amount: payment.amount,
    credited: payment.payee.after.balance,
    memo: payment.memo,
    written_at: Number(payment.at),
    expires_at: Number(payment.kind.expires_at),
  };
}
