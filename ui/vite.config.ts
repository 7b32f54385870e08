// Building the payment page: `scripts/build-ui.sh` runs `vite build` with this config into ui/dist,
// which the page server (`ui/server.ts`) serves as static files. The page holds no key and talks
// only to its own node (`src/node-client.ts`).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const UI_ROOT = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: UI_ROOT,
  // Kept inside ui/ so a build never writes into the shared node_modules.
  cacheDir: resolve(UI_ROOT, ".vite"),
  build: {
    outDir: resolve(UI_ROOT, "dist"),
    emptyOutDir: true,
    // Most of the page is libsodium, which checks a voucher's signature with no network (about
    // 0.54 MB in all, 0.18 MB compressed): expected, so not warned about.
    chunkSizeWarningLimit: 700,
  },
});
