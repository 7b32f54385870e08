// The network of one village on one machine: a kitsune2 bootstrap + relay server and N conductors
// configured to use only it (never public hosts), each with its own admin port.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { logText, run, runToEnd, waitForLog, type Running } from "./processes.js";

/** The one-machine villages' keystores (tests, `npm start`): throwaway keys, a fixed passphrase. */
export const LOCAL_PASSPHRASE = "commons-credit-local";

/**
 * kitsune2-bootstrap-srv keeps 32 agent entries per space by default, fewer than a village has
 * members; past it, newcomers are not found through bootstrap. A village of up to ~1000 agents fits.
 */
export const MAX_AGENTS_PER_SPACE = 1024;

/**
 * Holochain's default request timeout is 60 s: a payment to a member whose conductor is off would
 * hang that long before saying so. Peers of one village are on one machine or one LAN, so a short
 * timeout (which also sets the connect timeout to 3/8 of it) tells members quickly.
 */
export const REQUEST_TIMEOUT_S = 10;

/**
 * Kitsune2 gossips with each peer every 2 minutes at most by default (5 minutes minimum between
 * rounds with the same peer), sized for large networks. A village has tens of peers, and anything
 * a publish missed (a peer that joined a moment later) would stay unseen for minutes; gossip
 * every few seconds instead.
 */
const VILLAGE_GOSSIP = ["    k2Gossip:", "      initiateIntervalMs: 2000", "      minInitiateIntervalMs: 2000", "      initiateJitterMs: 500"];

/**
 * A peer that fails to answer (the far side of a split LAN) is marked unresponsive, and nothing
 * is sent to it until a newer signed agent info of it arrives. Kitsune2 re-signs an agent info
 * only 5 minutes before its 20 minutes run out, and asks the bootstrap server at most every 5
 * minutes: a healed LAN stayed two villages for longer than 90 s (measured). Here each conductor
 * re-signs every 30 s or so and asks the box's server every 20 s at most, so the two sides find
 * each other again within about a minute of the cable coming back (a few small requests a minute
 * to a server on the LAN).
 */
const VILLAGE_HEALING = ["    coreSpace:", "      reSignFreqMs: 15000", "      reSignExpireTimeMs: 1170000", "    coreBootstrap:", "      backoffMaxMs: 20000"];

/**
 * What Holochain does with a countersigning session a crash or a cut left unresolved. By default it
 * asks the other signers' authorities once and, when that is not conclusive, abandons the session
 * even if this chain wrote it: the payment is then dropped here while other chains may keep it
 * (seen: a payer killed after all three wrote a payment came back without it, the payee's line
 * kept it). A limit of 0 never abandons by itself; it asks again every 3 s (default 5 minutes)
 * until the others' actions settle it (each ask reads a few rows from each signer's authorities;
 * at 10 s a restarted payer waited 10 to 50 s to pay again), and an abandon is only ever the app's choice
 * (LedgerClient.settleInterruptedSession: only when a signer never wrote it).
 */
const SESSION_RESOLUTION = [
  "tuning_params:",
  "  countersigning_resolution_retry_delay:",
  "    secs: 3",
  "    nanos: 0",
  "  countersigning_resolution_retry_limit: 0",
  "  disable_self_validation: false",
];

export function tuneForVillage(config: string): string {
  let tuned = /^\s+request_timeout_s:/m.test(config)
    ? config.replace(/^(\s+request_timeout_s:).*$/m, `$1 ${REQUEST_TIMEOUT_S}`)
    : config.replace(/^network:\s*$/m, `network:\n  request_timeout_s: ${REQUEST_TIMEOUT_S}`);
  if (!/^ {2}advanced:\s*$/m.test(tuned)) throw new Error("conductor config has no network.advanced section to tune");
  tuned = tuned.replace(/^ {2}advanced:\s*$/m, `  advanced:\n${[...VILLAGE_GOSSIP, ...VILLAGE_HEALING].join("\n")}`);
  if (!/^tuning_params: null[ \t]*$/m.test(tuned)) throw new Error("conductor config has tuning_params already; expected null");
  return tuned.replace(/^tuning_params: null[ \t]*$/m, SESSION_RESOLUTION.join("\n"));
}

export interface Conductor {
  name: string;
  adminPort: number;
  running: Running;
  configPath: string;
  stop(): Promise<void>;
  /** Starts it again on the same config (same keys, same data) after a stop. */
  restart(): Promise<void>;
}

/** `listen` is host:port; a village box gives its LAN address, a one-machine village loopback. */
export async function startBootstrapServer(workDir: string, listen = "127.0.0.1:0"): Promise<{ url: string; running: Running }> {
  const running = run("kitsune2-bootstrap-srv", ["--listen", listen, "--max-entries-per-space", String(MAX_AGENTS_PER_SPACE)], join(workDir, "bootstrap.log"));
  const address = await waitForLog(running, /#listening#([^#\s]+)/, 30_000);
  return { url: `http://${address}`, running };
}

/** Creates conductor configs with `hc sandbox`, then points them at the local server only. */
export async function createConductorConfigs(workDir: string, names: string[], bootstrapUrl: string, passphrase = LOCAL_PASSPHRASE): Promise<string[]> {
  mkdirSync(workDir, { recursive: true });
  await runToEnd(
    "hc",
    [
      "sandbox",
      "--piped",
      "create",
      "--root",
      workDir,
      "--in-process-lair",
      "-n",
      String(names.length),
      "-d",
      names.join(","),
      "network",
      "--bootstrap",
      bootstrapUrl,
      "quic",
      bootstrapUrl,
    ],
    { cwd: workDir, stdin: `${passphrase}\n` },
  );
  return names.map((name) => {
    const configPath = join(workDir, name, "conductor-config.yaml");
    const config = readFileSync(configPath, "utf8");
    if (/https:\/\//.test(config)) {
      throw new Error(`${configPath} still points at a public host:\n${config}`);
    }
    writeFileSync(configPath, tuneForVillage(config));
    return configPath;
  });
}

/**
 * What Holochain 0.7.1 logs, then panics, when its in-process keystore does not open: with an
 * existing keystore, a wrong passphrase (`holochain::conductor::conductor::builder`, builder.rs:167;
 * lair answers only "internal"). Checked by the member-node scenario.
 */
const KEYSTORE_REFUSED = /Failed to spawn Lair keystore in process/;
const keystoreRefused = (log: string) => KEYSTORE_REFUSED.test(log);

/** The passphrase given does not open this machine's keys. */
export class WrongPassphrase extends Error {
  constructor(logPath: string) {
    super(`the passphrase does not open this machine's keys (nothing was changed; the conductor's log: ${logPath})`);
  }
}

/** The conductor's keystore is unlocked with `passphrase` (sent on its stdin, never written to disk). */
export async function startConductor(name: string, configPath: string, workDir: string, passphrase = LOCAL_PASSPHRASE): Promise<Conductor> {
  const logPath = join(workDir, `${name}.log`);
  const launch = async () => {
    const running = run("holochain", ["--piped", "-c", configPath], logPath, {
      stdin: `${passphrase}\n`,
      env: { RUST_LOG: process.env.RUST_LOG ?? "warn" },
    });
    const port = Number(
      await waitForLog(running, /ADMIN_PORT:(\d+)/, 120_000).catch((error: unknown) => {
        throw keystoreRefused(logText(running)) ? new WrongPassphrase(logPath) : error;
      }),
    );
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
