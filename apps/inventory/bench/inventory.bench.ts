// Inventory scenario of `npm run bench`: one hot SKU, 5,000 units, 50,000 Try attempts from 200
// concurrent clients over 5 channels, against the real inventory service running in its own
// process; then pgbench's simple-update TPS on a scratch database of the same server. The clients
// speak to the service over Kafka as the order saga does (mode 'kafka'), or over the internal HTTP
// API as a store system does (mode 'http'); mode 'service' calls the reservation service in this
// process, to show what the transports cost. runKafkaCeiling sends the same commands to an echo that
// answers without any work (kafka-echo.ts): the most mode 'kafka' could reach on this machine.
import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import Redis from 'ioredis';
import { Consumer, Producer } from 'kafkajs';
import { INVENTORY_BRANCH_REQUESTED, InventoryBranchRequestedEvent, TCC_BRANCH_REPLIED, TccBranchRepliedEvent } from '@omni/contracts';
import { createKafka, OutboxEvent, OutboxWriter, silentLogger, TopicNames } from '@omni/messaging';
import { serviceAuthHeaders } from '@omni/platform/testing';
import { createTestDatabase, pgbenchTps, printBenchResult, testInfra, uniqueId, uniqueTopicPrefix, waitFor } from '@omni/testing';
import { AtpCache } from '../src/redis-gate/atp-cache';
import { AtpReconciler } from '../src/redis-gate/atp.reconciler';
import { PgTxRunner } from '../src/reservation/persistence/pg-tx.runner';
import { ReservationService } from '../src/reservation/reservation.service';
import { BranchReply, TryCommand } from '../src/reservation/domain/reservation.types';
import { OutboxStockChangedSink } from '../src/stock/outbox-stock-changed.sink';
import { StockLedger } from '../src/stock/stock-ledger';

/** Knobs of the scenario (defaults = the numbers). */
export interface InventoryBenchOptions {
  units?: number;
  attempts?: number;
  clients?: number;
  pgbenchSeconds?: number;
  /**
   * 'kafka' (default): inventory-branch-requested commands to the service in its own process, replies
   * read from tcc-branch-replied; 'http': its internal HTTP API; 'service': ReservationService.try in this process.
   */
  mode?: BenchMode;
}

/** How the clients reach the reservation participant. */
export type BenchMode = 'kafka' | 'http' | 'service';

/** What the scenario measured. */
export interface InventoryBenchResult {
  mode: BenchMode;
  attempts: number;
  reservations: number;
  rejections: number;
  errors: number;
  reservationsPerSec: number;
  /** Rejections per second once the SKU was sold out (the Redis gate's phase). */
  soldOutRejectionsPerSec: number;
  soldOutRejections: number;
  overallRequestsPerSec: number;
  latencyMs: { p50: number; p99: number; reservationP50: number; reservationP99: number; rejectionP50: number; rejectionP99: number };
  rejectionCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  oversell: number;
  ledgerMatchesLevels: boolean;
  pgbenchTps: number;
  reservationToPgbenchRatio: number;
  targets: { soldOutRejectionsPerSec: string; reservationRatio: string };
}

// 5 channels: two dedicated quotas, one shared with safety stock, two plain shared.
const CHANNELS = [
  { channel: 'tmall', mode: 'dedicated', amount: 500 },
  { channel: 'jd', mode: 'dedicated', amount: 500 },
  { channel: 'web', mode: 'shared', amount: 50 },
  { channel: 'app', mode: 'shared', amount: 0 },
  { channel: 'pos', mode: 'shared', amount: 0 },
] as const;

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function seed(pool: Pool, sku: string, units: number): Promise<void> {
  const location = uuidv7();
  const owner = uuidv7();
  await pool.query(`INSERT INTO locations (id, code, name, type) VALUES ($1, 'BENCH-WH', 'Bench warehouse', 'warehouse')`, [location]);
  await pool.query(`INSERT INTO owners (id, name, type) VALUES ($1, 'Retailer', 'retailer')`, [owner]);
  await pool.query(`INSERT INTO sku_stock (sku, version) VALUES ($1, 1)`, [sku]);
  await pool.query(`INSERT INTO stock_levels (sku, location_id, owner_id, on_hand) VALUES ($1, $2, $3, $4)`, [sku, location, owner, units]);
  await pool.query(
    `INSERT INTO stock_movements (id, sku, location_id, owner_id, type, on_hand_delta, reserved_delta, ref, sku_version) VALUES ($1, $2, $3, $4, 'receipt', $5, 0, 'bench', 1)`,
    [uuidv7(), sku, location, owner, units],
  );
  for (const c of CHANNELS) {
    await pool.query(`INSERT INTO channel_allocations (sku, channel, mode, safety_stock, quota_remaining) VALUES ($1, $2, $3, $4, $5)`, [
      sku, c.channel, c.mode, c.mode === 'shared' ? c.amount : 0, c.mode === 'dedicated' ? c.amount : 0,
    ]);
  }
}

/** Attempt `i`: one unit of `sku` anywhere, on the channels in turn. */
function tryCommand(i: number, sku: string, deadline: string): TryCommand {
  return { gid: uuidv7(), branchId: uuidv7(), deadline, channel: CHANNELS[i % CHANNELS.length].channel, lines: [{ sku, quantity: 1, locationId: 'any' }] };
}

/** How the clients send a Try and get its answer (HTTP has its own path below). */
interface TryClient {
  try(cmd: TryCommand): Promise<BranchReply>;
  close(): Promise<void>;
}

/** The reservation service wired as the app wires it, in this process (no HTTP). */
async function inProcessService(url: string, redisPrefix: string): Promise<TryClient> {
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined);
  const redis = new Redis(testInfra.redisUrl, { keyPrefix: redisPrefix, enableAutoPipelining: true });
  const outbox = new OutboxWriter(new TopicNames());
  const channels = CHANNELS.map((c) => c.channel);
  const ledger = new StockLedger(new OutboxStockChangedSink(outbox), { activeChannels: channels });
  const cache = new AtpCache(redis, 'atp', 20);
  const service = new ReservationService(new PgTxRunner(pool), outbox, ledger, cache, { activeChannels: channels });
  await new AtpReconciler(pool, cache, channels).rebuildAll();
  return {
    try: (cmd) => service.try(cmd),
    close: async () => {
      redis.disconnect();
      await pool.end();
    },
  };
}

/**
 * The saga's path: each Try is an inventory-branch-requested command on Kafka (CloudEvents headers
 * exactly as an outbox relay publishes them), and its answer the tcc-branch-replied event the
 * service publishes through its outbox. Commands queued in the same tick go out in one produce
 * request, as a coordinator's relay sends its outbox in batches.
 */
async function kafkaClient(topicPrefix: string): Promise<TryClient> {
  const kafka = createKafka({ clientId: uniqueId('inventory-bench'), brokers: testInfra.kafkaBrokers, logger: silentLogger });
  const writer = new OutboxWriter(new TopicNames(topicPrefix));
  const pending = new Map<string, (reply: BranchReply) => void>();
  // A command whose answer never comes (the service died) fails after this, so the run always ends.
  const replyTimeoutMs = 60_000;
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumer: Consumer = kafka.consumer({ groupId: uniqueId('inventory-bench-replies'), maxWaitTimeInMs: 20, allowAutoTopicCreation: false });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: new TopicNames(topicPrefix).physical(TCC_BRANCH_REPLIED.topic), fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const reply = JSON.parse(message.value!.toString('utf8')) as TccBranchRepliedEvent;
        const key = `${reply.gid}/${reply.branchId}`;
        pending.get(key)?.({ gid: reply.gid, branchId: reply.branchId, op: reply.op, outcome: reply.outcome, reasons: reply.reasons as BranchReply['reasons'] });
        pending.delete(key);
      }
    },
  });
  await joined;
  // The load generator's own CPU competes with the service on this machine: the first command of
  // each channel is built and validated by OutboxWriter.event; the others reuse its headers with
  // their own id, time and subject (the commands differ only in ids).
  const templates = new Map<string, OutboxEvent>();
  const eventOf = (payload: InventoryBranchRequestedEvent): OutboxEvent => {
    const template = templates.get(payload.channel);
    if (!template) {
      const event = writer.event(INVENTORY_BRANCH_REQUESTED, payload);
      templates.set(payload.channel, event);
      return event;
    }
    const key = INVENTORY_BRANCH_REQUESTED.key(payload);
    const id = uuidv7();
    return { ...template, id, key, payload, headers: { ...template.headers, ce_id: id, ce_time: payload.occurredAt, ce_subject: key } };
  };
  let queue: Array<{ topic: string; key: string; value: string; headers: Record<string, string>; fail(error: unknown): void }> = [];
  const flush = () => {
    const messages = queue;
    queue = [];
    producer
      .send({ topic: messages[0].topic, acks: -1, messages: messages.map(({ key, value, headers }) => ({ key, value, headers })) })
      .catch((error: unknown) => messages.forEach((m) => m.fail(error)));
  };
  return {
    try: (cmd) =>
      new Promise((resolve, reject) => {
        const key = `${cmd.gid}/${cmd.branchId}`;
        const timer = setTimeout(() => {
          pending.delete(key);
          reject(Object.assign(new Error(`no answer within ${replyTimeoutMs} ms`), { code: 'REPLY_TIMEOUT' }));
        }, replyTimeoutMs);
        pending.set(key, (reply) => {
          clearTimeout(timer);
          resolve(reply);
        });
        const payload = { schemaVersion: 1, occurredAt: new Date().toISOString(), op: 'try' as const, ...cmd, deadline: new Date(cmd.deadline).toISOString() };
        const event = eventOf(payload);
        if (queue.length === 0) setImmediate(flush);
        queue.push({
          topic: event.topic,
          key: event.key,
          value: JSON.stringify(event.payload),
          headers: event.headers,
          fail: (error) => {
            clearTimeout(timer);
            pending.delete(key);
            reject(error);
          },
        });
      }),
    close: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

function startService(env: Record<string, string>): ChildProcess {
  const root = join(__dirname, '..', '..', '..');
  // INVENTORY_BENCH_PROFILE_DIR=<dir> writes a CPU profile of the service process there.
  const profile = process.env.INVENTORY_BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.INVENTORY_BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '-r', '@swc-node/register', join(root, 'apps/inventory/src/main.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

/** Oversold units: beyond on hand, beyond a dedicated quota, or a shared reservation that crossed its channel's safety stock (ledger replay). */
async function oversell(pool: Pool, sku: string, units: number): Promise<number> {
  const { rows } = await pool.query(`SELECT channel, reserved_delta FROM stock_movements WHERE sku = $1 AND type = 'reservation' ORDER BY seq`, [sku]);
  let free = units;
  const quota = new Map<string, number>(CHANNELS.filter((c) => c.mode === 'dedicated').map((c) => [c.channel, c.amount]));
  const safety = new Map<string, number>(CHANNELS.filter((c) => c.mode === 'shared').map((c) => [c.channel, c.amount]));
  let over = 0;
  for (const m of rows as Array<{ channel: string; reserved_delta: number }>) {
    free -= m.reserved_delta;
    if (quota.has(m.channel)) quota.set(m.channel, quota.get(m.channel)! - m.reserved_delta);
    const pool = free - [...quota.values()].reduce((a, b) => a + Math.max(0, b), 0);
    if (free < 0) over += Math.min(m.reserved_delta, -free);
    else if (quota.has(m.channel) && quota.get(m.channel)! < 0) over += Math.min(m.reserved_delta, -quota.get(m.channel)!);
    else if (safety.has(m.channel) && pool < safety.get(m.channel)!) over += Math.min(m.reserved_delta, safety.get(m.channel)! - pool);
  }
  return over;
}

/** Runs the scenario and returns what it measured (see the file header). */
export async function runInventoryBench(opts: InventoryBenchOptions = {}): Promise<InventoryBenchResult> {
  const units = opts.units ?? 5_000;
  const attempts = opts.attempts ?? 50_000;
  const clients = opts.clients ?? 200;
  const sku = 'BENCH-HOT';
  const db = await createTestDatabase('inventory_bench');
  const port = await freePort();
  let service: ChildProcess | null = null;
  const pool = db.pool(2);
  pool.on('error', () => undefined);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  try {
    // First start migrates the database; seed, then restart so the start-up cache rebuild sees the SKU.
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId('invbench')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('inventory-bench'),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      INVENTORY_CHANNELS: CHANNELS.map((c) => c.channel).join(','),
      RESERVATION_SWEEP_INTERVAL_MS: '0',
    };
    const ready = async () => {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok, { timeoutMs: 180_000, intervalMs: 250, what: 'inventory ready' });
    };
    service = startService(env);
    await ready();
    await seed(pool, sku, units);
    service.kill('SIGTERM');
    await new Promise((resolve) => service!.once('exit', resolve));
    service = null;
    const mode = opts.mode ?? 'kafka';
    let inProcess: TryClient | null = null;
    if (mode === 'service') inProcess = await inProcessService(db.url, env.REDIS_KEY_PREFIX);
    else {
      service = startService(env);
      await ready();
      if (mode === 'kafka') inProcess = await kafkaClient(env.KAFKA_TOPIC_PREFIX);
    }

    const latencies: number[] = [];
    const reserveLat: number[] = [];
    const rejectLat: number[] = [];
    const rejectAt: number[] = [];
    const codes: Record<string, number> = {};
    const errorKinds: Record<string, number> = {};
    let reservations = 0;
    let rejections = 0;
    let errors = 0;
    let lastSuccessAt = 0;
    let next = 0;
    const deadline = new Date(Date.now() + 3_600_000).toISOString();
    // A store system's credential for inventory (valid for minutes, longer than the run).
    const credential = serviceAuthHeaders('inventory', { issuer: 'bench' });
    const post = (body: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, path: '/internal/reservations/try', method: 'POST', agent, headers: { ...credential, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const started = performance.now();
    const client = async () => {
      while (next < attempts) {
        const i = next++;
        const cmd = tryCommand(i, sku, deadline);
        const t0 = performance.now();
        try {
          let res: { status: number; reply: { outcome?: string; reasons?: Array<{ code: string }> } };
          if (inProcess) res = { status: 200, reply: await inProcess.try(cmd) };
          else {
            const answer = await post(JSON.stringify(cmd));
            res = { status: answer.status, reply: JSON.parse(answer.text) as { outcome?: string; reasons?: Array<{ code: string }> } };
          }
          const ms = performance.now() - t0;
          latencies.push(ms);
          const reply = res.reply;
          if (res.status === 200 && reply.outcome === 'success') {
            reservations++;
            reserveLat.push(ms);
            lastSuccessAt = performance.now();
          } else if (res.status === 200 && reply.outcome === 'failure') {
            rejections++;
            rejectLat.push(ms);
            rejectAt.push(performance.now());
            const code = reply.reasons?.[0]?.code ?? 'UNKNOWN';
            codes[code] = (codes[code] ?? 0) + 1;
          } else {
            errors++;
            errorKinds[`HTTP ${res.status}`] = (errorKinds[`HTTP ${res.status}`] ?? 0) + 1;
          }
        } catch (error) {
          errors++;
          const kind = (error as { code?: string }).code ?? (error as Error).message;
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
    const ended = performance.now();
    const seconds = (ended - started) / 1000;
    // The sold-out phase starts with the last successful reservation.
    const soldOutSeconds = (ended - lastSuccessAt) / 1000;
    const soldOutRejections = rejectAt.filter((at) => at > lastSuccessAt).length;
    latencies.sort((a, b) => a - b);
    reserveLat.sort((a, b) => a - b);
    rejectLat.sort((a, b) => a - b);

    const over = await oversell(pool, sku, units);
    const { rows: mismatch } = await pool.query(`
      SELECT 1 FROM stock_levels l JOIN (SELECT sku, location_id, owner_id, sum(on_hand_delta) oh, sum(reserved_delta) rs FROM stock_movements GROUP BY 1, 2, 3) s
        USING (sku, location_id, owner_id) WHERE l.on_hand <> s.oh OR l.reserved <> s.rs`);
    if (service) {
      service.kill('SIGTERM');
      await new Promise((resolve) => service!.once('exit', resolve));
      service = null;
    }
    await inProcess?.close();

    const tps = await pgbenchTps({ workload: { kind: 'simple-update' }, seconds: opts.pgbenchSeconds ?? 10 });
    const reservationsPerSec = reservations / ((lastSuccessAt - started) / 1000);
    return {
      mode,
      attempts,
      reservations,
      rejections,
      errors,
      reservationsPerSec: round(reservationsPerSec),
      soldOutRejectionsPerSec: round(soldOutSeconds > 0 ? soldOutRejections / soldOutSeconds : 0),
      soldOutRejections,
      overallRequestsPerSec: round(attempts / seconds),
      latencyMs: {
        p50: round(percentile(latencies, 50), 2),
        p99: round(percentile(latencies, 99), 2),
        reservationP50: round(percentile(reserveLat, 50), 2),
        reservationP99: round(percentile(reserveLat, 99), 2),
        rejectionP50: round(percentile(rejectLat, 50), 2),
        rejectionP99: round(percentile(rejectLat, 99), 2),
      },
      rejectionCodes: codes,
      errorKinds,
      oversell: over,
      ledgerMatchesLevels: mismatch.length === 0,
      pgbenchTps: round(tps),
      reservationToPgbenchRatio: round(reservationsPerSec / tps, 3),
      targets: { soldOutRejectionsPerSec: '>= 10000', reservationRatio: '>= 0.3' },
    };
  } finally {
    if (service && process.env.INVENTORY_BENCH_PROFILE_DIR) {
      // A clean exit writes the CPU profile.
      const exited = new Promise((resolve) => service!.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
    } else if (service) service.kill('SIGKILL');
    agent.destroy();
    await pool.end();
    await db.drop();
  }
}

/** What the transport-ceiling scenario measured. */
export interface KafkaCeilingResult {
  mode: 'kafka-echo';
  attempts: number;
  clients: number;
  answers: number;
  errors: number;
  roundTripsPerSec: number;
  latencyMs: { p50: number; p99: number };
}

/**
 * The Kafka round-trip ceiling of this machine for the inventory scenario: the same clients send the
 * same Try commands as mode 'kafka', but an echo (kafka-echo.ts, its own process, the service's
 * consumer and producer settings) answers each at once without any work. What mode 'kafka' reaches
 * is bounded by this; the gap between the two is the service's own cost.
 */
export async function runKafkaCeiling(opts: { attempts?: number; clients?: number } = {}): Promise<KafkaCeilingResult> {
  const attempts = opts.attempts ?? 50_000;
  const clients = opts.clients ?? 200;
  const topicPrefix = uniqueTopicPrefix('inventory-echo');
  const echo = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'kafka-echo.ts'), topicPrefix], {
    cwd: join(__dirname, '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let client: TryClient | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the echo was not ready within 120 s')), 120_000);
      let out = '';
      echo.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('ready\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      echo.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the echo exited with ${code} before it was ready`));
      });
    });
    client = await kafkaClient(topicPrefix);
    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const deadline = new Date(Date.now() + 3_600_000).toISOString();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < attempts) {
          const i = next++;
          const cmd = tryCommand(i, 'BENCH-HOT', deadline);
          const t0 = performance.now();
          try {
            await client!.try(cmd);
            latencies.push(performance.now() - t0);
          } catch {
            errors++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      mode: 'kafka-echo',
      attempts,
      clients,
      answers: latencies.length,
      errors,
      roundTripsPerSec: round(latencies.length / seconds),
      latencyMs: { p50: round(percentile(latencies, 50), 2), p99: round(percentile(latencies, 99), 2) },
    };
  } finally {
    await client?.close();
    if (echo.exitCode === null && echo.signalCode === null) {
      const exited = new Promise((resolve) => echo.once('exit', resolve));
      echo.kill('SIGTERM');
      await exited;
    }
  }
}

if (require.main === module) {
  const [units, attempts, pgbenchSeconds] = process.argv.slice(2, 5).map(Number);
  const mode = (['kafka', 'http', 'service', 'kafka-echo'] as const).find((m) => m === process.argv[5]) ?? 'kafka';
  const bench =
    mode === 'kafka-echo'
      ? runKafkaCeiling({ attempts: attempts || undefined })
      : runInventoryBench({ units: units || undefined, attempts: attempts || undefined, pgbenchSeconds: pgbenchSeconds || undefined, mode });
  printBenchResult(bench);
}
