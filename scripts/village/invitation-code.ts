// An invitation as a member carries it from the steward to their own machine: a short code (typed,
// pasted or read from a QR) holding the village box's invitation desk address and a one-time
// token. The desk turns the token into a membrane proof for the joining machine's own key, so the
// steward never sees a member's private key and the code is useless once redeemed.
import { decode, encode } from "@msgpack/msgpack";

const PREFIX = "cc1-";
export const TOKEN_BYTES = 16;

export interface InvitationCode {
  /** host:port of the village box's invitation desk on the village LAN. */
  desk: string;
  token: Uint8Array;
}

function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

export function encodeInvitationCode(code: InvitationCode): string {
  return PREFIX + toBase64Url(encode([code.desk, code.token]));
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
  if (!Array.isArray(fields) || fields.length !== 2) throw invalid("wrong shape");
  const [desk, token] = fields as [unknown, unknown];
  if (typeof desk !== "string" || !/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(desk)) throw invalid("no desk address");
  if (!(token instanceof Uint8Array) || token.length !== TOKEN_BYTES) throw invalid("no token");
  return { desk, token };
}
