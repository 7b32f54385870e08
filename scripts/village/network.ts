// The network of one village on one machine: a kitsune2 bootstrap + relay server and N conductors
// configured to use only it (never public hosts), each with its own admin port.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run, runToEnd, waitForLog, type Running } from "./processes.js";

const LAIR_PASSPHRASE = "commons-credit-local\n";

export interface Conductor {
  name: string;
  adminPort: number;
  running: Running;
  configPath: string;
  stop(): Promise<void>;
  /** Starts it again on the same config (same keys, same data) after a stop. */
  restart(): Promise<void>;
}

export async function startBootstrapServer(workDir: string): Promise<{ url: string; running: Running }> {
  const running = run("kitsune2-bootstrap-srv", ["--listen", "127.0.0.1:0"], join(workDir, "bootstrap.log"));
  const address = await waitForLog(running, /#listening#([^#\s]+)/, 30_000);
  return { url: `http://${address}`, running };
}

/** Creates conductor configs with `hc sandbox`, then points them at the local server only. */
export async function createConductorConfigs(workDir: string, names: string[], bootstrapUrl: string): Promise<string[]> {
  mkdirSync(workDir, { recursive: true });
  await runToEnd(
    "hc",
    ["sandbox", "--piped", "create", "--root", workDir, "--in-process-lair", "-n", String(names.length), "-d", names.join(","),
      "network", "--bootstrap", bootstrapUrl, "quic", bootstrapUrl],
    { cwd: workDir, stdin: LAIR_PASSPHRASE },
  );
  return names.map((name) => {
    const configPath = join(workDir, name, "conductor-config.yaml");
    const config = readFileSync(configPath, "utf8");
    if (/https:\/\//.test(config)) {
      throw new Error(`${configPath} still points at a public host:\n${config}`);
    }
    writeFileSync(configPath, config);
    return configPath;
  });
}

export async function startConductor(name: string, configPath: string, workDir: string): Promise<Conductor> {
  const logPath = join(workDir, `${name}.log`);
  const launch = async () => {
    const running = run("holochain", ["--piped", "-c", configPath], logPath, {
      stdin: LAIR_PASSPHRASE,
      env: { RUST_LOG: process.env.RUST_LOG ?? "warn" },
    });
    const port = Number(await waitForLog(running, /ADMIN_PORT:(\d+)/, 120_000));
    return { running, port };
  };
  let { running, port } = await launch();
  const conductor: Conductor = {
    name,
    configPath,
    adminPort: port,
    running,
    stop: () => conductor.running.stop(),
    async restart() {
      ({ running, port } = await launch());
      conductor.running = running;
      conductor.adminPort = port;
    },
  };
  return conductor;
}
