// Building the village node (`scripts/village-node.ts`) into one JavaScript file for Node, so a
// member's machine runs it without a TypeScript transpiler (`scripts/build-node.sh`). Packages
// stay in node_modules, imported at run time.
import { resolve } from "node:path";
import { defineConfig } from "vite";

const ROOT = resolve(import.meta.dirname, "..");

export default defineConfig({
  root: ROOT,
  logLevel: "warn",
  build: {
    ssr: resolve(ROOT, "scripts/village-node.ts"),
    outDir: resolve(ROOT, ".cc/node"),
    emptyOutDir: true,
    target: "node20",
    rolldownOptions: { output: { entryFileNames: "village-node.mjs" } },
  },
});
