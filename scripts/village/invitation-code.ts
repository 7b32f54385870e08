// An invitation as a member carries it from the steward to their own machine: a short code (typed,
// pasted or read from a QR) holding the village box's invitation desk address, a one-time token
// and the village's DNA hash. The desk turns the token into a membrane proof for the joining
// machine's own key, so the steward never sees a member's private key and the code is useless once
// redeemed. The hash lets the joining machine check that the box it reached, and the app it was
// handed, are the village the steward invited it to.
import { decode, encode } from "@msgpack/msgpack";
import { decodeHashFromBase64, encodeHashToBase64, getHashType, HoloHashType } from "@holochain/client";

const PREFIX = "cc1-";
export const TOKEN_BYTES = 16;

export interface InvitationCode {
  /** host:port of the village box's invitation desk on the village LAN. */
  desk: string;
  token: Uint8Array;
  /** The village's DNA hash (Holochain base64); absent in codes from a box of an earlier version. */
  dnaHash?: string;
}

/** A Holochain DNA hash: three prefix bytes, 32 of hash, four of location. */
const DNA_HASH_BYTES = 39;

function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

function isDnaHash(bytes: Uint8Array): boolean {
  try {
    return getHashType(bytes) === HoloHashType.Dna;
  } catch {
    return false;
  }
}

export function encodeInvitationCode(code: InvitationCode): string {
  const fields: unknown[] = [code.desk, code.token];
  if (code.dnaHash) fields.push(decodeHashFromBase64(code.dnaHash));
  return PREFIX + toBase64Url(encode(fields));
}

export function decodeInvitationCode(text: string): InvitationCode {
  const trimmed = text.trim();
  const invalid = (why: string) => new Error(`not a commons-credit invitation code (${why}): ${JSON.stringify(trimmed.slice(0, 80))}`);
  if (!trimmed.startsWith(PREFIX)) throw invalid(`it should start with ${PREFIX}`);
  let fields: unknown;
  try {
    fields = decode(Buffer.from(trimmed.slice(PREFIX.length), "base64url"));
  } catch {
    throw invalid("it is damaged: check it was copied whole");
  }
  if (!Array.isArray(fields) || fields.length < 2 || fields.length > 3) throw invalid("wrong shape");
  const [desk, token, dnaHash] = fields as [unknown, unknown, unknown];
  if (typeof desk !== "string" || !/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(desk)) throw invalid("no desk address");
  if (!(token instanceof Uint8Array) || token.length !== TOKEN_BYTES) throw invalid("no token");
  if (dnaHash === undefined) return { desk, token };
  if (!(dnaHash instanceof Uint8Array) || dnaHash.length !== DNA_HASH_BYTES || !isDnaHash(dnaHash)) throw invalid("no village hash");
  return { desk, token, dnaHash: encodeHashToBase64(dnaHash) };
}
