// The payment page's dev server and build. The page reads the running village's session file
// (ports, tokens, signing keys) from `/village-session.json`, served from the path in
// CC_SESSION_FILE; it holds private keys, so the server listens on loopback only. The page reaches
// its conductor through this server too (`/conductor/<app port>`, conductor-proxy.ts).
import { existsSync, readFileSync } from "node:fs";
import type { Socket } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { proxyConductorUpgrade } from "./conductor-proxy.js";

const UI_ROOT = fileURLToPath(new URL(".", import.meta.url));
const REPO_ROOT = resolve(UI_ROOT, "..");

/** The app ports the current session file names (read on each connection: a restart changes them). */
function sessionAppPorts(): Set<number> {
  const path = process.env.CC_SESSION_FILE;
  if (!path || !existsSync(path)) return new Set();
  const file = JSON.parse(readFileSync(path, "utf8")) as { members: { appPort: number }[] };
  return new Set(file.members.map((m) => m.appPort));
}

function villageSessionFile(): Plugin {
  return {
    name: "village-session-file",
    configureServer(server) {
      server.httpServer?.on("upgrade", (request, socket, head) => {
        proxyConductorUpgrade(request, socket as Socket, head, sessionAppPorts);
      });
      server.middlewares.use("/village-session.json", (request, response, next) => {
        if (request.method !== "GET" && request.method !== "HEAD") return next();
        const path = process.env.CC_SESSION_FILE;
        const problem = !path
          ? "CC_SESSION_FILE is not set: start the page with `npm start` or startUi({ sessionFile }) from ui/server.ts"
          : !existsSync(path)
            ? `the session file ${path} (CC_SESSION_FILE) does not exist`
            : undefined;
        if (problem) {
          response.statusCode = 404;
          response.setHeader("Content-Type", "text/plain; charset=utf-8");
          response.end(problem);
          return;
        }
        // Read on every request: a restarted village rewrites the file with new ports and keys.
        response.setHeader("Content-Type", "application/json");
        response.setHeader("Cache-Control", "no-store");
        response.end(readFileSync(path!));
      });
    },
  };
}

export default defineConfig({
  root: UI_ROOT,
  plugins: [villageSessionFile()],
  // Kept inside ui/ so a dev server never writes into the shared node_modules.
  cacheDir: resolve(UI_ROOT, ".vite"),
  server: {
    host: "127.0.0.1",
    // The page imports the typed client from ../client/src, outside the ui root.
    fs: { allow: [REPO_ROOT] },
  },
  // Listed up front so the first page load never triggers a re-optimisation and reload.
  optimizeDeps: {
    include: [
      "@holochain/client",
      "@msgpack/msgpack",
      "libsodium-wrappers",
      "lit",
      "lit/decorators.js",
      "lit/directives/repeat.js",
      "lit/directives/unsafe-svg.js",
      "@lit/context",
      "uqr",
    ],
  },
  build: { outDir: resolve(UI_ROOT, "dist"), emptyOutDir: true },
});
