import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) a process has used so far, or 0 when it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Pids of every process whose command line contains `needle` (e.g. 'postgres:' for Postgres backends, 'kafka.Kafka' for the broker). */
export function pidsMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(needle)) pids.push(Number(entry));
    } catch {
      // the process ended while listed
    }
  }
  return pids;
}

/**
 * A CPU meter over named groups of processes: `start()` samples them, `stop()` returns the CPU
 * milliseconds each group used in between. A group is given as a function returning its pids, so
 * processes started in between (Postgres backends) are counted from zero.
 */
export class CpuMeter {
  private before = new Map<number, number>();

  constructor(private readonly groups: Record<string, () => number[]>) {}

  start(): void {
    this.before = new Map();
    for (const pids of Object.values(this.groups)) for (const pid of pids()) this.before.set(pid, processCpuMs(pid));
  }

  stop(): Record<string, number> {
    const used: Record<string, number> = {};
    for (const [name, pids] of Object.entries(this.groups)) {
      used[name] = Math.round(pids().reduce((sum, pid) => sum + Math.max(0, processCpuMs(pid) - (this.before.get(pid) ?? 0)), 0));
    }
    return used;
  }
}
