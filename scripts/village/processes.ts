// Child processes of a village: the bootstrap/relay server and conductors, with their logs kept in
// files so a failing run can be read afterwards. Everything listens on 127.0.0.1 only.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface Running {
  process: ChildProcess;
  logPath: string;
  /** Where this run's output starts in the (appended) log file. */
  logOffset: number;
  stop(): Promise<void>;
}

export function run(command: string, args: string[], logPath: string, options: { cwd?: string; stdin?: string; env?: NodeJS.ProcessEnv } = {}): Running {
  const logOffset = existsSync(logPath) ? statSync(logPath).size : 0;
  const log = createWriteStream(logPath, { flags: "a" });
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
  // A missing binary must fail the caller's wait, not crash the process.
  child.on("error", (error) => log.write(`\n[spawn error] ${command}: ${error.message}\n`));
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  if (options.stdin !== undefined) {
    child.stdin!.on("error", () => {}); // a process that exits without reading it (its log says why)
    child.stdin!.end(options.stdin);
  }
  return {
    process: child,
    logPath,
    logOffset,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!killed) child.kill("SIGKILL");
    },
  };
}

/**
 * Removes every directory under `workDir` (conductors' databases and keystores, a few hundred MB
 * each) and keeps its files (the logs), so runs do not fill the disk and a failure can still be read.
 * A machine's own data directory holds its conductor's log: kept as `<directory>-<log>`.
 */
export function removeDataKeepLogs(workDir: string): void {
  for (const entry of readdirSync(workDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(workDir, entry.name);
    for (const file of readdirSync(dir, { withFileTypes: true })) {
      if (file.isFile() && file.name.endsWith(".log")) renameSync(join(dir, file.name), join(workDir, `${entry.name}-${file.name}`));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls a log file until `pattern` matches, and returns the first capture group. */
/** What the process has logged since it started. */
export function logText(running: Running): string {
  return existsSync(running.logPath) ? readFileSync(running.logPath).subarray(running.logOffset).toString("utf8") : "";
}

export async function waitForLog(running: Running, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = logText(running);
    const match = pattern.exec(text);
    if (match) return match[1] ?? match[0];
    if (running.process.exitCode !== null || /\[spawn error\]/.test(text))
      throw new Error(`${running.logPath}: process exited before ${pattern}\n${text.slice(-2000)}`);
    await sleep(100);
  }
  throw new Error(`${running.logPath}: no ${pattern} within ${timeoutMs} ms`);
}

/** Runs a command to completion, returning its output; throws with the output on failure. */
export function runToEnd(command: string, args: string[], options: { cwd?: string; stdin?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    // A command that exits without reading its input makes the write fail (EPIPE); its exit code,
    // below, is what decides, so the pipe error must not escape as an unhandled error.
    child.stdin.on("error", () => {});
    child.stdin.end(options.stdin ?? "");
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output}`))));
  });
}
