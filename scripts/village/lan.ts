// Simulated machines for the village tests and `npm run bench:village`: each machine is a network namespace with one address
// on a private bridge, and the bridge lives in a namespace of its own, so no interface of this
// network exists where the tests run and nothing can route out (../shared/notes/village-network.md).
// Machines run the project's real commands (`scripts/village-node.ts`); the tests reach a machine's
// payment page only through the Unix socket the node opens in its data directory.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AgentPubKey } from "@holochain/client";
import { forward } from "../gateway/forward.js";
import { run, waitForLog, type Running } from "./processes.js";
import { NodeClient } from "../../ui/src/node-client.js";
import type { PageLedger } from "../../ui/src/node-wire.js";
import { REPO_ROOT as ROOT } from "../repo-root.js";

const SUBNET = "10.77";

/** The village node as a member's machine runs it: built JavaScript (`scripts/build-node.sh`). */
function builtVillageNode(): string {
  const built = join(ROOT, ".cc/node/village-node.mjs");
  if (!existsSync(built)) throw new Error(`${built} is missing: run bash scripts/build-node.sh (npm test does)`);
  return built;
}

export interface Machine {
  name: string;
  namespace: string;
  /** Its address on the village LAN. */
  address: string;
}

export interface Lan {
  machines: Map<string, Machine>;
  machine(name: string): Machine;
  /**
   * Runs `scripts/village-node.ts <args>` on a machine, with `stdin` as its standard input (the
   * passphrase), logging to `logPath`.
   */
  villageNode(name: string, args: string[], logPath: string, stdin: string): Running;
  /** The ids of a machine's processes whose command is `command` (say, its conductor). */
  processesOf(name: string, command: string): number[];
  /** Unplugs a machine's cable (its namespace stays, its processes keep running). */
  unplug(name: string): void;
  plugIn(name: string): void;
  /** Splits the LAN in two: these machines move to a second switch, the rest stay on the first. */
  split(names: string[]): void;
  /** Joins the two switches' machines again. */
  heal(): void;
  destroy(): void;
}

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: ["ignore", "pipe", "pipe"] }).toString();

export function createLan(names: string[], subnet = 0): Lan {
  const id = randomBytes(3).toString("hex");
  const switchNs = `cc-${id}-switch`;
  const machines = new Map<string, Machine>();
  const created: string[] = [];
  const veth = (i: number) => `v${id}${i}`;
  const destroy = () => {
    for (const ns of created) {
      let pids: string[] = [];
      try {
        pids = ip("netns", "pids", ns).split(/\s+/).filter(Boolean);
      } catch {} // already removed: destroying twice is harmless
      for (const pid of pids) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {}
      }
    }
    for (const ns of [...created].reverse()) {
      try {
        ip("netns", "del", ns);
      } catch {}
    }
    created.length = 0;
  };
  try {
    ip("netns", "add", switchNs);
    created.push(switchNs);
    ip("-n", switchNs, "link", "add", "br0", "type", "bridge");
    ip("-n", switchNs, "link", "set", "br0", "up");
    for (const [i, name] of names.entries()) {
      const namespace = `cc-${id}-${i}`;
      ip("netns", "add", namespace);
      created.push(namespace);
      ip("-n", namespace, "link", "set", "lo", "up");
      ip("-n", switchNs, "link", "add", veth(i), "type", "veth", "peer", "name", "eth0", "netns", namespace);
      ip("-n", switchNs, "link", "set", veth(i), "master", "br0", "up");
      const address = `${SUBNET}.${subnet}.${i + 1}`;
      ip("-n", namespace, "addr", "add", `${address}/24`, "dev", "eth0");
      ip("-n", namespace, "link", "set", "eth0", "up");
      machines.set(name, { name, namespace, address });
    }
  } catch (error) {
    destroy();
    throw error;
  }
  const machine = (name: string) => {
    const found = machines.get(name);
    if (!found) throw new Error(`no machine ${name}`);
    return found;
  };
  const link = (name: string, state: "up" | "down") => ip("-n", switchNs, "link", "set", veth(names.indexOf(machine(name).name)), state);
  const moveTo = (name: string, bridge: string) => ip("-n", switchNs, "link", "set", veth(names.indexOf(machine(name).name)), "master", bridge);
  let splitOff: string[] = [];
  let secondSwitch = false;
  return {
    machines,
    machine,
    villageNode: (name, args, logPath, stdin) =>
      run("ip", ["netns", "exec", machine(name).namespace, process.execPath, builtVillageNode(), ...args], logPath, {
        cwd: ROOT,
        stdin,
      }),
    processesOf: (name, command) =>
      ip("netns", "pids", machine(name).namespace)
        .split(/\s+/)
        .filter(Boolean)
        .filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === command;
          } catch {
            return false; // exited meanwhile
          }
        })
        .map(Number),
    unplug: (name) => link(name, "down"),
    plugIn: (name) => link(name, "up"),
    split: (group) => {
      if (!secondSwitch) {
        ip("-n", switchNs, "link", "add", "br1", "type", "bridge");
        ip("-n", switchNs, "link", "set", "br1", "up");
        secondSwitch = true;
      }
      for (const name of group) moveTo(name, "br1");
      splitOff = [...group];
    },
    heal: () => {
      for (const name of splitOff) moveTo(name, "br0");
      splitOff = [];
    },
    destroy,
  };
}

/** Waits for a `<TAG> {json}` line a village-node command prints when it is up. */
export async function readyLine<T>(running: Running, tag: "BOX_READY" | "MEMBER_READY" | "STATION_READY", timeoutMs = 300_000): Promise<T> {
  return JSON.parse(await waitForLog(running, new RegExp(`${tag} (\\{.*\\})`), timeoutMs)) as T;
}

/** A member's payment page, reached from the test's namespace through the node's Unix socket. */
export interface PageGateway {
  url: string;
  /** The page's calls, made by its node for a device paired the way a browser pairs. */
  ledger: PageLedger;
  node: NodeClient;
  agent: AgentPubKey;
  /** A fresh one-time pairing link, through this gateway (for a browser the test opens). */
  newPairingLink(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Opens the member's page the way a browser on the member's machine does: through its socket,
 * pairs with the link the node printed (`pairUrl`, on the node's own loopback), then asks the
 * node for every call with that device's token.
 */
export async function openMemberPage(uiSocket: string, pairUrl: string): Promise<PageGateway> {
  const gateway = await forward({ port: 0 }, { path: uiSocket });
  const url = `http://127.0.0.1:${gateway.port}/`;
  const throughGateway = (link: string) => {
    const { pathname, search } = new URL(link);
    return `${url.replace(/\/$/, "")}${pathname}${search}`;
  };
  const paired = await fetch(throughGateway(pairUrl), { redirect: "manual" });
  const cookie = paired.headers.getSetCookie().find((c) => c.startsWith("cc_device_"));
  const token = cookie && /^[^=]+=([^;]+)/.exec(cookie)?.[1];
  if (paired.status !== 303 || !token) {
    await gateway.close();
    throw new Error(`pairing with ${pairUrl} failed: ${paired.status} ${await paired.text()}`);
  }
  const node = new NodeClient({ baseUrl: url.replace(/\/$/, ""), member: null, token });
  return {
    url,
    ledger: node.ledger,
    node,
    agent: await node.ledger.whoami(),
    newPairingLink: async () => throughGateway((await node.newPairing()).url),
    close: () => gateway.close(),
  };
}
