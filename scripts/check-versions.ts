// The zomes must be built against exactly the Holochain crates the conductor was built with: a skew
// installs fine and then fails silently (a cap grant that will not decode, a countersigning call
// that hangs). Compares every Holochain crate in our Cargo.lock with the conductor's own lockfile.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

const HOLOCHAIN_CRATE = /^(holochain_|holo_hash|hdk|hdi|kitsune2)/;

function lockedVersions(lockfile: string): Map<string, string[]> {
  const versions = new Map<string, string[]>();
  for (const block of readFileSync(lockfile, "utf8").split("[[package]]").slice(1)) {
    const name = /name = "([^"]+)"/.exec(block)?.[1];
    const version = /version = "([^"]+)"/.exec(block)?.[1];
    if (name && version) versions.set(name, [...(versions.get(name) ?? []), version]);
  }
  return versions;
}

function conductorLockfile(): string {
  const version = /holochain (\S+)/.exec(execFileSync("holochain", ["--version"], { encoding: "utf8" }))?.[1];
  if (!version) throw new Error("cannot read `holochain --version`");
  const registry = join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "registry/src");
  for (const index of readdirSync(registry)) {
    const candidate = join(registry, index, `holochain-${version}`, "Cargo.lock");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no Cargo.lock of holochain ${version} under ${registry}`);
}

const ours = lockedVersions(resolve(import.meta.dirname, "../Cargo.lock"));
const conductorLock = conductorLockfile();
const theirs = lockedVersions(conductorLock);
const mismatches: string[] = [];
let compared = 0;
for (const [name, versions] of ours) {
  if (!HOLOCHAIN_CRATE.test(name) || !theirs.has(name)) continue;
  compared++;
  for (const v of versions) {
    if (!theirs.get(name)!.includes(v)) mismatches.push(`${name} ${v} (conductor has ${theirs.get(name)!.join(", ")})`);
  }
}
if (mismatches.length > 0) {
  console.error(`zome crates differ from the conductor's (${conductorLock}):\n  ${mismatches.join("\n  ")}`);
  process.exit(1);
}
console.log(`[versions] ${compared} Holochain crates match the conductor's lockfile`);
