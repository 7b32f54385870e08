// The devices allowed to use a member's page: a browser on the member's machine or a phone on the
// village LAN. A device pairs by opening a one-time link (printed by the node when it starts, or
// shown as a QR code on a paired page), which gives it a device token in an HttpOnly cookie. Tokens
// are stored hashed (`devices.json`, readable by the node's user only); a revoked device's token
// opens nothing from its next request on. The member's signing key never leaves the node.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import type { PairedDevice } from "./src/node-wire.js";

/** How long a pairing link opens a device: long enough to scan, short enough to be worthless later. */
export const PAIRING_LINK_LIFETIME_MS = 10 * 60_000;
const SECRET_BYTES = 18;
/** A device's last-seen time is written at most this often. */
const LAST_SEEN_WRITE_MS = 60_000;

interface StoredDevice {
  id: string;
  name: string;
  token_sha256: string;
  paired_at: string;
  last_seen: string;
}

interface DevicesFile {
  /** Names this node's cookie: several nodes on one machine's loopback do not share a device token. */
  node_id: string;
  devices: StoredDevice[];
}

const sha256 = (text: string) => createHash("sha256").update(text).digest();
const newSecret = () => randomBytes(SECRET_BYTES).toString("base64url");

export class Pairing {
  private file: DevicesFile;
  /** Open pairing links: secret hash (hex) to its expiry. */
  private readonly links = new Map<string, number>();
  private lastWrite = 0;

  constructor(private readonly path: string) {
    this.file = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as DevicesFile) : { node_id: randomBytes(4).toString("hex"), devices: [] };
    this.save();
  }

  get cookieName(): string {
    return `cc_device_${this.file.node_id}`;
  }

  /** A new one-time link secret, valid for `PAIRING_LINK_LIFETIME_MS`. */
  newLink(): { secret: string; expiresAt: Date } {
    const now = Date.now();
    for (const [hash, expires] of this.links) if (expires < now) this.links.delete(hash);
    const secret = newSecret();
    const expiresAt = now + PAIRING_LINK_LIFETIME_MS;
    this.links.set(sha256(secret).toString("hex"), expiresAt);
    return { secret, expiresAt: new Date(expiresAt) };
  }

  /** Pairs a device with a link's secret, once: its token, or undefined for a used or expired link. */
  redeem(secret: string, deviceName: string): { token: string; device: StoredDevice } | undefined {
    const hash = sha256(secret).toString("hex");
    const expires = this.links.get(hash);
    this.links.delete(hash);
    if (expires === undefined || expires < Date.now()) return undefined;
    const token = newSecret();
    const now = new Date().toISOString();
    const device: StoredDevice = {
      id: randomBytes(6).toString("hex"),
      name: deviceName.slice(0, 80),
      token_sha256: sha256(token).toString("hex"),
      paired_at: now,
      last_seen: now,
    };
    this.file.devices.push(device);
    this.save();
    return { token, device };
  }

  /** The paired device a request comes from (its cookie, or a bearer token), if any. */
  deviceOf(request: IncomingMessage): StoredDevice | undefined {
    const token = tokenOf(request, this.cookieName);
    if (!token) return undefined;
    const hash = sha256(token);
    const device = this.file.devices.find((d) => timingSafeEqual(Buffer.from(d.token_sha256, "hex"), hash));
    if (device) {
      device.last_seen = new Date().toISOString();
      if (Date.now() - this.lastWrite > LAST_SEEN_WRITE_MS) this.save();
    }
    return device;
  }

  list(current?: StoredDevice): PairedDevice[] {
    return this.file.devices.map(({ id, name, paired_at, last_seen }) => ({ id, name, paired_at, last_seen, current: id === current?.id }));
  }

  revoke(id: string): boolean {
    const before = this.file.devices.length;
    this.file.devices = this.file.devices.filter((d) => d.id !== id);
    this.save();
    return this.file.devices.length < before;
  }

  private save(): void {
    this.lastWrite = Date.now();
    writeFileSync(`${this.path}.new`, JSON.stringify(this.file, null, 1), { mode: 0o600 });
    renameSync(`${this.path}.new`, this.path);
  }
}

function tokenOf(request: IncomingMessage, cookieName: string): string | undefined {
  const bearer = /^Bearer ([A-Za-z0-9_-]+)$/.exec(request.headers.authorization ?? "");
  if (bearer) return bearer[1];
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, value] = part.trim().split("=");
    if (name === cookieName && value) return value;
  }
  return undefined;
}

/** A readable name for a newly paired device, from its browser's own description. */
export function deviceNameOf(request: IncomingMessage): string {
  const agent = request.headers["user-agent"] ?? "";
  const system = /Android|iPhone|iPad|Windows|Mac OS X|Linux/.exec(agent)?.[0]?.replace("Mac OS X", "Mac") ?? "a device";
  const browser = /Firefox|Edg|Chrome|Chromium|Safari/.exec(agent)?.[0]?.replace("Edg", "Edge") ?? "browser";
  return `${browser} on ${system}`;
}
