// Keeps a machine's conductor running: when it exits without being asked to, it is started again
// on the same config (same keys, chain and village), and whoever runs the node is told at each
// step. A conductor that keeps dying is left stopped, with the reason where the member can read it.
import { setTimeout as sleep } from "node:timers/promises";
import type { Conductor } from "./network.js";

/** Restarts allowed within `RESTART_WINDOW_MS` before the watch gives up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 10 * 60_000;
/** Waits before each restart, doubling from this: a conductor that dies at once does not spin. */
const FIRST_BACKOFF_MS = 1_000;

export interface ConductorWatchEvents {
  /** The conductor exited unasked (`how`: "was killed (SIGKILL)", "exited with code 101"); a restart follows. */
  down(how: string): void | Promise<void>;
  /** Running again: reconnect whatever held the old connections. */
  back(): Promise<void>;
  /** Too many deaths in a row, or a restart (or the reconnection after it) that failed. */
  gaveUp(reason: string): void | Promise<void>;
}

export interface ConductorWatch {
  /** Call before stopping the conductor on purpose. */
  stop(): void;
}

export function watchConductor(conductor: Conductor, events: ConductorWatchEvents): ConductorWatch {
  let stopped = false;
  const restarts: number[] = [];

  const follow = () => {
    conductor.running.process.once("exit", (code, signal) => {
      if (!stopped) void recover(signal ? `was killed (${signal})` : `exited with code ${code}`);
    });
  };

  const recover = async (how: string) => {
    await events.down(how);
    const now = Date.now();
    while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length >= MAX_RESTARTS) {
      await events.gaveUp(`it stopped ${MAX_RESTARTS + 1} times within ${RESTART_WINDOW_MS / 60_000} minutes`);
      return;
    }
    await sleep(FIRST_BACKOFF_MS * 2 ** restarts.length);
    restarts.push(Date.now());
    if (stopped) return;
    try {
      await conductor.restart();
      // Stopped while it was starting: the node's stop reached the old process, so stop the new one.
      if (stopped) return await conductor.stop();
      follow();
      await events.back();
    } catch (error) {
      await events.gaveUp(error instanceof Error ? error.message : String(error));
    }
  };

  follow();
  return {
    stop() {
      stopped = true;
    },
  };
}
