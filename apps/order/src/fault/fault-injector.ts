/** Points where a test can make the order process kill itself (ORDER_FAULT_AT=point[:n],…). */
export type FaultPoint =
  /** Right after the order, saga and Try commands committed, before the relay can send them. */
  | 'after-begin'
  /** While applying the n-th Try reply, before its transaction commits. */
  | 'try-reply'
  /** While applying the n-th batch of two or more replies, after its first reply, before the batch commits. */
  | 'reply-batch'
  /** Right after a payment committed (Confirm commands persisted, not yet sent). */
  | 'after-pay'
  /** While applying the n-th Confirm reply, before its transaction commits. */
  | 'confirm-reply';

/**
 * Test-only crash switch: SIGKILLs the process at a configured point (no shutdown hooks, no
 * flush), so crash tests exercise recovery from a real, abrupt death. Inert when unset.
 */
export class FaultInjector {
  private readonly points = new Map<string, number>();
  private readonly seen = new Map<string, number>();

  constructor(spec: string | undefined) {
    for (const part of (spec ?? '').split(',').filter(Boolean)) {
      const [name, n] = part.split(':');
      this.points.set(name, n ? Number(n) : 1);
    }
  }

  /** Counts a pass through `point` and kills the process on the configured pass. */
  hit(point: FaultPoint): void {
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
