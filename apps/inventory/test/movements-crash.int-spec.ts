import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { ledgerMismatches } from './movements.app-harness';
import { serviceAuthHeaders } from '@omni/platform/testing';

jest.setTimeout(480_000);

/** The inventory service as production runs it: its own process from main.ts. */
class InventoryProcess {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<unknown>;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/inventory/src/main.ts'], {
      cwd: resolve(__dirname, '../../..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
    this.exited = once(this.child, 'exit');
  }

  async url(): Promise<string> {
    const port = await waitFor(() => Number(/listening on http:\/\/[^:]+:(\d+)/.exec(this.output)?.[1] ?? 0) || undefined, {
      // Compiling the app on the fly takes long on a loaded 2-core machine.
      timeoutMs: 180_000,
      what: `inventory to listen; output so far:\n${this.output}`,
    });
    return `http://127.0.0.1:${port}`;
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

let db: TestDatabase;
let pool: Pool;
const processes: InventoryProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase('movements_crash');
  pool = db.pool(2);
});
afterAll(async () => {
  for (const p of processes) await p.kill();
  await pool?.end();
  await db?.drop();
});

function start(): InventoryProcess {
  const p = new InventoryProcess({
    NODE_ENV: 'development',
    PORT: '0',
    DATABASE_URL: db.url,
    REDIS_URL: testInfra.redisUrl,
    REDIS_KEY_PREFIX: `${uniqueId('crash')}:`,
    KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('movements-crash'),
    LOG_LEVEL: 'info',
  });
  processes.push(p);
  return p;
}

async function post(url: string, path: string, body: unknown, key?: string): Promise<{ status: number; replayed: string | null; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...serviceAuthHeaders('inventory'), ...(key ? { 'Idempotency-Key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as Record<string, unknown> };
}

describe('stock documents across a process kill', () => {
  it('loses nothing and applies nothing twice when the service is SIGKILLed mid-batch and the batch is replayed', async () => {
    const first = start();
    const url = await first.url();
    const location = (await post(url, '/internal/locations', { code: 'CR-WH', name: 'DC', type: 'warehouse', lat: 31, lng: 121 })).body.id as string;
    const owner = (await post(url, '/internal/owners', { name: 'Retailer', type: 'retailer' })).body.id as string;

    const requests = Array.from({ length: 160 }, (_, i) => ({
      key: uuidv7(),
      body: { lines: [{ sku: `CR-${i % 4}`, locationId: location, ownerId: owner, quantity: 1 + (i % 3) }] },
    }));
    const expected = new Map<string, number>();
    for (const r of requests) expected.set(r.body.lines[0].sku, (expected.get(r.body.lines[0].sku) ?? 0) + r.body.lines[0].quantity);

    // Eight clients send the batch; the process is killed once 40 answers are in, with requests in flight.
    const acknowledged = new Map<string, Record<string, unknown>>();
    let next = 0;
    let killed = false;
    const clients = Array.from({ length: 8 }, async () => {
      while (next < requests.length) {
        const r = requests[next++];
        try {
          const res = await post(url, '/internal/stock/receipts', r.body, r.key);
          if (res.status === 201) acknowledged.set(r.key, res.body);
        } catch {
          return; // connection refused or reset: the process is gone
        }
        if (!killed && acknowledged.size >= 40) {
          killed = true;
          await first.kill();
        }
      }
    });
    await Promise.all(clients);
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeLessThan(requests.length);

    // Every acknowledged receipt survived the kill; nothing half-done is visible.
    const { rows: before } = await pool.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE r.response IS NULL)::int AS open FROM stock_operations op JOIN idempotency_records r ON r.key = op.idempotency_key`);
    expect(before[0].open).toBe(0);
    expect(before[0].n).toBeGreaterThanOrEqual(acknowledged.size);

    const second = start();
    const url2 = await second.url();
    for (const r of requests) {
      const res = await post(url2, '/internal/stock/receipts', r.body, r.key);
      expect(res.status).toBe(201);
      const firstAnswer = acknowledged.get(r.key);
      if (firstAnswer) {
        expect(res.replayed).toBe('true');
        expect(res.body).toEqual(firstAnswer);
      }
    }

    const { rows: levels } = await pool.query(`SELECT sku, SUM(on_hand)::int AS on_hand FROM stock_levels GROUP BY sku ORDER BY sku`);
    expect(levels).toEqual([...expected.entries()].sort().map(([sku, onHand]) => ({ sku, on_hand: onHand })));
    const { rows: counts } = await pool.query(`SELECT (SELECT count(*)::int FROM stock_movements) AS movements, (SELECT count(*)::int FROM stock_operations) AS operations`);
    expect(counts[0]).toEqual({ movements: requests.length, operations: requests.length });
    expect(await ledgerMismatches(pool)).toEqual([]);
    await second.kill();
  });
});
