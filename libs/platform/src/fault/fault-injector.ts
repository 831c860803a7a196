/** What a fault spec looks like: comma-separated `point[:n]` (the n-th pass through the point, 1 by default). */
export const FAULT_SPEC_PATTERN = /^[a-z-]+(:\d+)?(,[a-z-]+(:\d+)?)*$/;

/**
 * Test-only crash switch: SIGKILLs the process on the configured pass through a named point (no
 * shutdown hooks, no flush), so crash tests exercise recovery from a real, abrupt death. Each
 * service names its points (`P`) and reads the spec from its own variable. Inert when unset.
 */
export class FaultInjector<P extends string = string> {
  private readonly points = new Map<string, number>();
  private readonly seen = new Map<string, number>();

  constructor(spec: string | undefined) {
    if (spec && !FAULT_SPEC_PATTERN.test(spec)) throw new Error(`fault spec must be a comma-separated list of point[:n]; got "${spec}"`);
    for (const part of (spec ?? '').split(',').filter(Boolean)) {
      const [name, n] = part.split(':');
      this.points.set(name, n ? Number(n) : 1);
    }
  }

  /** Counts a pass through `point` and kills the process on the configured pass. */
  hit(point: P): void {
    const at = this.points.get(point);
    if (at === undefined) return;
    const count = (this.seen.get(point) ?? 0) + 1;
    this.seen.set(point, count);
    if (count === at) {
      process.stderr.write(`fault injection: SIGKILL at ${point}:${count}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
