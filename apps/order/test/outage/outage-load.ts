import { v7 as uuidv7 } from 'uuid';
import { orderBody, type JsonResponse, type SagaWorld, type ServiceProcess } from '../saga.harness';
import { serviceAuthHeadersForUrl } from '@omni/platform/testing';

/** One order as the load generator saw it. */
export interface PlacedOrder {
  id: string;
  key: string;
  quantity: number;
  /** When the buyer first sent it (epoch ms). */
  createdAt: number;
  /** When the buyer first held a decision: reserved, rejected or cancelled (epoch ms). */
  decidedAt?: number;
  status?: string;
  /** The buyer's payment: when it was sent and what the service answered. */
  payment?: { at: number; outcome: string };
}

const DECIDED = new Set(['reserved', 'rejected', 'cancelled']);

/** A bounded wait. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Buyers placing orders for one SKU through whichever order replica answers (a frozen or dead one
 * is given up on after a timeout, and the same Idempotency-Key goes to the other), asking again
 * with the same key while the decision is pending, and paying a share of what is reserved at once.
 * Every request goes to 127.0.0.1; every loop ends at `stop()` or its own deadline.
 */
export class OutageLoad {
  readonly placed: PlacedOrder[] = [];
  private running = false;
  private buyers: Promise<void>[] = [];

  constructor(
    private readonly world: SagaWorld,
    private readonly orders: () => ServiceProcess[],
    private readonly sku: string,
    private readonly options: { buyers: number; payShare: number; requestTimeoutMs: number; hardStopAt: number },
  ) {}

  /** Starts the buyers. */
  start(): void {
    this.running = true;
    this.buyers = Array.from({ length: this.options.buyers }, (_, i) => this.buyer(i));
  }

  /** Stops placing new orders and waits for every buyer to hold a decision for its last one. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.buyers);
  }

  /** Places one order and waits for its decision (the same key, asked again while pending). */
  async placeOne(quantity = 1): Promise<PlacedOrder> {
    const order: PlacedOrder = { id: '', key: uuidv7(), quantity, createdAt: Date.now() };
    this.placed.push(order);
    const body = orderBody('app', this.sku, quantity, this.world.locationId);
    while (Date.now() < this.options.hardStopAt) {
      const answer = await this.send('/orders', body, { 'idempotency-key': order.key });
      if (answer === null) continue;
      if (answer.status >= 400 && answer.status !== 503) throw new Error(`order refused with ${answer.status}: ${JSON.stringify(answer.body)}`);
      if (answer.status === 503) {
        await sleep(500);
        continue;
      }
      order.id = String(answer.body.id);
      const status = String(answer.body.status);
      if (DECIDED.has(status)) {
        order.status = status;
        order.decidedAt = Date.now();
        return order;
      }
    }
    throw new Error(`order ${order.key} was never decided`);
  }

  /** Pays an order through whichever replica answers; records the outcome. */
  async pay(order: PlacedOrder): Promise<void> {
    const at = Date.now();
    const paymentRef = `pay-${uuidv7()}`;
    while (Date.now() < this.options.hardStopAt) {
      const alive = this.orders().filter((o) => o.alive);
      const target = alive[Math.floor(Math.random() * alive.length)];
      try {
        const answer = await this.world.pay(target.url, { id: order.id, payable: 1000 * order.quantity, currency: 'CNY' }, paymentRef);
        if (answer.status === 200) {
          order.payment = { at, outcome: String(answer.body.outcome) };
          return;
        }
        if (answer.status !== 409) throw new Error(`payment refused with ${answer.status}: ${JSON.stringify(answer.body)}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('payment refused')) throw error;
      }
      await sleep(300);
    }
    throw new Error(`payment of ${order.id} never answered`);
  }

  private async buyer(index: number): Promise<void> {
    while (this.running && Date.now() < this.options.hardStopAt) {
      const order = await this.placeOne(1 + ((index + this.placed.length) % 2));
      if (order.status === 'reserved' && Math.random() < this.options.payShare) await this.pay(order);
    }
  }

  /** One POST to a live replica chosen at random; null when it did not answer in time. */
  private async send(path: string, body: unknown, headers: Record<string, string>): Promise<JsonResponse | null> {
    const alive = this.orders().filter((o) => o.alive);
    if (alive.length === 0) {
      await sleep(200);
      return null;
    }
    const target = alive[Math.floor(Math.random() * alive.length)];
    try {
      const res = await fetch(`${target.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await serviceAuthHeadersForUrl(target.url)), ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    } catch {
      return null;
    }
  }
}

/**
 * How long after `fault` new orders were decided promptly again: from `fault` to the creation of
 * the first of `streak` orders in a row (by creation, all created after the fault) that were each
 * decided within `promptMs`. Orders go to random partitions, so a streak of five on a machine with
 * six partitions per topic means the stuck ones moved, not that one order was lucky. Null when
 * that never happened.
 */
export function recoveryMs(placed: readonly PlacedOrder[], fault: number, promptMs = 2500, streak = 5): number | null {
  const after = placed.filter((p) => p.createdAt >= fault).sort((a, b) => a.createdAt - b.createdAt);
  const prompt = (p: PlacedOrder): boolean => p.decidedAt !== undefined && p.decidedAt - p.createdAt <= promptMs;
  for (let i = 0; i + streak <= after.length; i++) {
    if (after.slice(i, i + streak).every(prompt)) return after[i].createdAt - fault;
  }
  return null;
}

/**
 * What counts as "decided promptly" around a fault at `fault`: 2.5 s, or three times the median
 * decision time of the 30 s before it when the machine is slower than that (a loaded CI machine
 * runs other suites beside this one), so recovery is measured against the pace the suite had.
 */
export function promptMsBefore(placed: readonly PlacedOrder[], fault: number): number {
  return Math.max(2500, 3 * latencies(placed, fault - 30_000, fault).p50);
}

/** Decision latencies of the orders created in [from, to): p50, p99 and max, ms. */
export function latencies(placed: readonly PlacedOrder[], from: number, to: number): { n: number; p50: number; p99: number; max: number } {
  const ms = placed
    .filter((p) => p.createdAt >= from && p.createdAt < to && p.decidedAt !== undefined)
    .map((p) => p.decidedAt! - p.createdAt)
    .sort((a, b) => a - b);
  const at = (q: number): number => (ms.length === 0 ? 0 : ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]);
  return { n: ms.length, p50: at(0.5), p99: at(0.99), max: ms[ms.length - 1] ?? 0 };
}
