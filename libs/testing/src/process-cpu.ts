import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) of a /proc stat file's process or thread so far, or 0 when it is gone. */
function statCpuMs(path: string): number {
  try {
    const stat = readFileSync(path, 'utf8');
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU milliseconds (user + system) a process has used so far, or 0 when it is gone. */
export function processCpuMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/stat`);
}

/**
 * CPU milliseconds each thread of `pid` has used so far, by thread id, with the thread's name
 * (its 15-character `comm`, e.g. a JVM's "C2 CompilerThre" or a broker's "data-plane-kafk").
 */
export function threadCpuMs(pid: number): Map<number, { name: string; cpuMs: number }> {
  const threads = new Map<number, { name: string; cpuMs: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      threads.set(Number(tid), { name, cpuMs: statCpuMs(`/proc/${pid}/task/${tid}/stat`) });
    } catch {
      // the thread ended while listed
    }
  }
  return threads;
}

/**
 * The CPU milliseconds a process's threads used between two `threadCpuMs` samples, summed by
 * thread name with numbers folded ("C1 CompilerThre" and "C2 CompilerThre" count as
 * "C# CompilerThre", every network thread as one), largest first.
 */
export function threadCpuByName(before: Map<number, { cpuMs: number }>, after: Map<number, { name: string; cpuMs: number }>): { thread: string; cpuMs: number }[] {
  const byName = new Map<string, number>();
  for (const [tid, { name, cpuMs }] of after) {
    const used = cpuMs - (before.get(tid)?.cpuMs ?? 0);
    if (used <= 0) continue;
    const folded = name.replace(/\d+/g, '#');
    byName.set(folded, (byName.get(folded) ?? 0) + used);
  }
  return [...byName].map(([thread, cpuMs]) => ({ thread, cpuMs: Math.round(cpuMs) })).sort((a, b) => b.cpuMs - a.cpuMs);
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
