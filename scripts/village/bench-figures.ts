// The benchmarks' shared figures: latency percentiles, and what a running process costs, read
// from /proc.
import { readFileSync } from "node:fs";

/** The `p` quantile (0-1) of `xs`, taken from the sorted values; NaN for none. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

/** CPU seconds a process has used (user + system): what the conductors cost, not the bench. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** A process's peak and current resident memory, in MiB (VmHWM, VmRSS). */
export function memoryMiB(pid: number | undefined): { peak: number; now: number } {
  if (pid === undefined) return { peak: Number.NaN, now: Number.NaN };
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { peak: kib("VmHWM") / 1024, now: kib("VmRSS") / 1024 };
}
