// The checkout's root, found from wherever this code runs: its source, or the node's built bundle
// (`scripts/build-node.sh`), which lives at another depth.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "commons-credit") return dir;
    if (dirname(dir) === dir) throw new Error(`no commons-credit checkout above ${from}`);
  }
}

export const REPO_ROOT = findRoot(import.meta.dirname);
