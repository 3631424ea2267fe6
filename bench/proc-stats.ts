/**
 * CPU time and memory of another process, read from /proc (Linux): the harness measures the
 * simulator, the gateway and the peers from outside, so no process reports on itself.
 */
import { readFileSync } from "node:fs";

/** Kernel clock ticks per second (USER_HZ); 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

export class ProcessGoneError extends Error {
  constructor(readonly pid: number) {
    super(`process ${pid} has exited: /proc/${pid} is gone`);
    this.name = "ProcessGoneError";
  }
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    throw new ProcessGoneError(pid);
  }
}

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readProc(pid, "stat");
  // The command name (field 2) may contain spaces and parentheses: count fields after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 (utime) and 15 (stime) of stat(5); index 0 here is field 3.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / TICKS_PER_SECOND;
}

export interface MemorySample {
  rss_bytes: number;
  /** The process's peak RSS so far (VmHWM). */
  peak_rss_bytes: number;
}

export function memory(pid: number): MemorySample {
  const status = readProc(pid, "status");
  const kb = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rss_bytes: kb("VmRSS"), peak_rss_bytes: kb("VmHWM") };
}

export interface ProcessUsage {
  /** CPU cores used on average over the window (1 = one core busy). */
  cpu_cores: number;
  cpu_seconds: number;
  rss_bytes: number;
  /** Highest RSS sampled during the window. */
  max_rss_bytes: number;
}

/**
 * Watches one process over a window: CPU from the difference of its counters, RSS sampled every
 * `intervalMs` (the peak of the window, not of the process's life).
 */
export class UsageWindow {
  private readonly startCpu: number;
  private readonly startedAt = performance.now();
  private maxRss: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    intervalMs = 250,
  ) {
    this.startCpu = cpuSeconds(pid);
    this.maxRss = memory(pid).rss_bytes;
    this.timer = setInterval(() => {
      try {
        this.maxRss = Math.max(this.maxRss, memory(pid).rss_bytes);
      } catch {
        clearInterval(this.timer);
      }
    }, intervalMs);
    this.timer.unref();
  }

  finish(): ProcessUsage {
    clearInterval(this.timer);
    const seconds = (performance.now() - this.startedAt) / 1000;
    const cpu = cpuSeconds(this.pid) - this.startCpu;
    const rss = memory(this.pid).rss_bytes;
    return {
      cpu_cores: round(cpu / seconds, 3),
      cpu_seconds: round(cpu, 3),
      rss_bytes: rss,
      max_rss_bytes: Math.max(this.maxRss, rss),
    };
  }
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
