// Serving the payment page for a running village: `npm start` and the UI test write the village's
// session file, then start Vite's dev server on loopback with CC_SESSION_FILE pointing at it.
import { renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";
import type { Village } from "../scripts/village/village.js";
import { memberToJson, type NodeStatusJson, type SessionFileJson, type SessionMember } from "./src/session-file.js";

const UI_ROOT = fileURLToPath(new URL(".", import.meta.url));

export interface UiServer {
  /** The page's address, e.g. http://127.0.0.1:5173/ (add `?member=<name>`). */
  url: string;
  close(): Promise<void>;
}

export async function startUi(options: { sessionFile: string; port?: number }): Promise<UiServer> {
  // The session-file middleware reads this at request time (see vite.config.ts).
  process.env.CC_SESSION_FILE = resolve(options.sessionFile);
  const server = await createServer({
    configFile: join(UI_ROOT, "vite.config.ts"),
    root: UI_ROOT,
    server: { host: "127.0.0.1", port: options.port ?? 0, strictPort: options.port !== undefined },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === "string") {
    await server.close();
    throw new Error("the UI server did not report a TCP address");
  }
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

/** The session file the page reads: village settings plus, per member, where and how to connect. */
/** Whoever the page may act as: every member of a one-machine village, or one machine's own member. */
export interface SessionSource {
  properties: Pick<Village["properties"], "village_name" | "unit" | "decimals">;
  members: SessionMember[];
  /** A member's own node says how its conductor is doing. */
  node?: NodeStatusJson;
}

export function sessionFileOf(village: SessionSource): SessionFileJson {
  const { village_name, unit, decimals } = village.properties;
  return { village: { village_name, unit, decimals }, members: village.members.map((m) => memberToJson(m)), ...(village.node ? { node: village.node } : {}) };
}

/** Writes it readable by this user only: it holds every member's signing keys and app tokens. */
export function writeSessionFile(path: string, village: SessionSource): void {
  // Renamed into place: a page reading it while a restarted node rewrites it never sees half a file.
  writeFileSync(`${path}.new`, JSON.stringify(sessionFileOf(village)), { mode: 0o600 });
  renameSync(`${path}.new`, path);
}
