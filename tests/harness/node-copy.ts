// A member's node copied to a second data directory while it is stopped: the same keys and the
// same chain, as after restoring a backup or running one's node on two machines. Each copy then
// writes its own history from the same chain position, which is a fork.
import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { startConductor, type Conductor } from "../../scripts/village/network.js";

/** Every text file of the copy that names the original's directory (conductor and lair configs). */
function repointConfigs(dir: string, from: string, to: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      repointConfigs(path, from, to);
    } else if (name.endsWith(".yaml")) {
      writeFileSync(path, readFileSync(path, "utf8").replaceAll(from, to));
    }
  }
}

/**
 * Stops `conductor`, copies its whole directory (databases and keystore) beside it as `<name>-copy`,
 * and returns the copy, not started. The original stays stopped too.
 */
export async function copyStoppedNode(conductor: Conductor, workDir: string): Promise<{ start(): Promise<Conductor> }> {
  await conductor.stop();
  const original = dirname(conductor.configPath);
  const copyName = `${basename(original)}-copy`;
  const copy = join(dirname(original), copyName);
  // The keystore's socket and pid file belong to the stopped process; the copy makes its own.
  cpSync(original, copy, { recursive: true, filter: (path) => !statSync(path).isSocket() && basename(path) !== "pid_file" });
  repointConfigs(copy, original, copy);
  return { start: () => startConductor(copyName, join(copy, "conductor-config.yaml"), workDir) };
}
