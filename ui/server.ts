// Serving the payment page: the built page (`ui/dist`, made by `scripts/build-ui.sh` with Vite)
// as static files, and the node's side of the page (`node-rpc.ts`) in the same small HTTP server.
// It listens on loopback; a member's node may also serve it on the village LAN for a phone.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { forward, type Forwarder } from "../scripts/gateway/forward.js";
import { REPO_ROOT } from "../scripts/repo-root.js";
import { nodeRpcHandler, type NodeRpcOptions } from "./node-rpc.js";

export const UI_DIST = join(REPO_ROOT, "ui", "dist");

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

export interface UiServer {
  /** The page's address on this machine, e.g. http://127.0.0.1:5173/ (add `?member=<name>` to act as one). */
  url: string;
  /** Its address on the village LAN, when asked to serve there. */
  lanUrl?: string;
  close(): Promise<void>;
}

export interface UiOptions extends Omit<NodeRpcOptions, "hosts" | "pairingBase"> {
  /** Loopback port; 0 (the default) picks a free one. */
  port?: number;
  /** Also serve the page on this LAN address (same port), for phones on the village LAN. */
  lanHost?: string;
}

/** Static files of the built page: `/` is its index; hashed assets may be cached. */
function serveStatic(request: IncomingMessage, response: ServerResponse): void {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405).end();
    return;
  }
  const path = decodeURIComponent(new URL(request.url ?? "/", "http://page").pathname);
  const relative = normalize(path === "/" ? "/index.html" : path).replace(/^[/\\]+/, "");
  const file = join(UI_DIST, relative);
  if (!file.startsWith(UI_DIST + sep) || !existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found");
    return;
  }
  const hashed = relative.startsWith(`assets${sep}`);
  response.writeHead(200, {
    "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    "Cache-Control": hashed ? "public, max-age=31536000, immutable" : "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  });
  response.end(request.method === "HEAD" ? undefined : readFileSync(file));
}

export async function startUi(options: UiOptions): Promise<UiServer> {
  if (!existsSync(join(UI_DIST, "index.html"))) throw new Error(`the page is not built (${UI_DIST}): run bash scripts/build-ui.sh`);
  let port = 0;
  const lanBase = () => `http://${options.lanHost}:${port}`;
  const rpc = nodeRpcHandler({
    ...options,
    hosts: () => ["127.0.0.1", "localhost", ...(options.lanHost ? [options.lanHost] : [])],
    pairingBase: () => (options.lanHost ? lanBase() : `http://127.0.0.1:${port}`),
  });
  const server = createServer((request, response) => {
    if (!rpc(request, response)) serveStatic(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the UI server did not report a TCP address");
  port = address.port;
  // The LAN side is a forwarder into the loopback server: one server, one set of rules.
  let lan: Forwarder | undefined;
  if (options.lanHost) lan = await forward({ host: options.lanHost, port }, { port });
  return {
    url: `http://127.0.0.1:${port}/`,
    lanUrl: options.lanHost ? `${lanBase()}/` : undefined,
    close: async () => {
      await lan?.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
