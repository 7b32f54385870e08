// The hash a village's DNA will have once installed, computed from the packed app and the
// village's properties and network seed, before anything is installed: Holochain's own `hc dna
// hash`, given the same modifiers the install will use (checked against the installed cell's hash
// on a real village: the same).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runToEnd } from "./processes.js";
import type { VillageProperties } from "./properties.js";

export async function villageDnaHash(happPath: string, properties: VillageProperties, networkSeed: string): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "commons-credit-dna-hash-"));
  try {
    await runToEnd("hc", ["app", "unpack", happPath, "-o", join(work, "app")]);
    const dna = readdirSync(join(work, "app")).find((name) => name.endsWith(".dna"));
    if (!dna) throw new Error(`${happPath} holds no DNA`);
    // One role's settings, as `hc sandbox generate --roles-settings` takes them (JSON is YAML).
    writeFileSync(join(work, "role.yaml"), JSON.stringify({ type: "provisioned", modifiers: { network_seed: networkSeed, properties } }));
    const printed = await runToEnd("hc", ["dna", "hash", "--role-settings", join(work, "role.yaml"), join(work, "app", dna)]);
    const hash = printed.trim().split(/\s+/).pop() ?? "";
    if (!/^uhC0k[A-Za-z0-9_-]{48}$/.test(hash)) throw new Error(`hc dna hash printed no DNA hash: ${printed.slice(0, 200)}`);
    return hash;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
