// `npm run bench`: brings the local infrastructure up, runs every scenario against the real
// Postgres, Redis and Kafka on this machine, prints what each measured and writes
// tmp/bench-results.json. Speed goals live here, never in the test suite.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runInventoryBench, runKafkaCeiling } from '../../apps/inventory/bench/inventory.bench';
import { runStockPushBench } from '../../apps/o2o-connector/bench/stock-push.bench';
import { runOrderBench, runOrderMemberBench } from '../../apps/order/bench/order.bench';
import { runQuoteBench } from '../../apps/pricing/bench/quote.bench';
import { runPayloadValidationBench } from '../../libs/contracts/bench/payload-validation.bench';
import { measureOutboxLatency } from '../../libs/messaging/bench/outbox-latency';
import { runCheckoutBench, runFlashSaleBench } from './buyer-path.bench';
import { runIdleBench } from './idle.bench';
import deleteRunTopics from '../../libs/testing/src/jest/global-teardown';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const infra = require('../infra/infra.js') as { up(options?: { quiet?: boolean }): Promise<unknown> };

/** One benchmark scenario: a name and a function returning what it measured. */
interface Scenario {
  name: string;
  run(): Promise<object>;
}

const scenarios: Scenario[] = [
  { name: 'messaging: outbox commit → consumer latency (1,000 events)', run: () => measureOutboxLatency({ events: 1000 }) },
  {
    // What every consumer does to every event: class-validator before, the compiled JSON Schema now.
    name: 'payload validation: events validated per second, class-validator against the compiled schema',
    run: async () => ({ cases: runPayloadValidationBench() }),
  },
  {
    // The saga's transport: Try commands on Kafka, replies on tcc-branch-replied.
    name: 'inventory: hot SKU, 5,000 units, 50,000 Try attempts from 200 clients over 5 channels (Kafka)',
    run: () => runInventoryBench({ mode: 'kafka' }),
  },
  {
    // The same commands answered by an echo doing no work: the most the Kafka scenario can reach here.
    name: 'inventory (Kafka ceiling): the same 50,000 Try commands from 200 clients answered by an echo that does no work',
    run: () => runKafkaCeiling(),
  },
  {
    // A store system's transport: the internal HTTP API.
    name: 'inventory (HTTP): the same scenario through the internal HTTP API',
    run: () => runInventoryBench({ mode: 'http' }),
  },
  {
    // The same scenario against ReservationService in this process: the domain core with the real
    // Postgres and Redis, without a transport; shows what the transports cost.
    name: 'inventory (in-process): the same scenario calling the reservation service directly',
    run: () => runInventoryBench({ mode: 'service' }),
  },
  { name: 'order: TCC sagas (Try + Confirm with the inventory participant) end to end', run: () => runOrderBench({ sagas: 1000, concurrency: 32 }) },
  {
    // The whole suite as `npm run up` starts it; buyers over the 5 demo channel keys quote, order and pay through the gateway.
    name: 'checkout through the gateway: 1,000 buyers (32 at a time) quote, order and pay',
    run: () => runCheckoutBench({ buyers: 1000, concurrency: 32 }),
  },
  {
    // The same suite; 5,000 buyers race for 300 units of one SKU, each reserved order paid at once.
    name: 'flash sale through the gateway: 5,000 buyers (200 at a time), 300 units of one SKU',
    run: () => runFlashSaleBench({ buyers: 5000, concurrency: 200, units: 300 }),
  },
  {
    // The same sagas without and with member's Try and Confirm (each order a member's, spending points): what member costs per saga.
    name: 'member in the order saga: 300 sagas without and with the member participant (points), cost per saga',
    run: () => runOrderMemberBench({ sagas: 300, concurrency: 32, warmup: 50 }),
  },
  {
    // The whole suite as `npm run up` starts it (no demo data), on a broker of its own, left alone for 300 s (the broker's JIT settles) and then measured for 60 s.
    name: 'idle: the whole suite with no traffic for 60 s, CPU and wake-ups of every process',
    run: () => runIdleBench({ seconds: 60 }),
  },
  { name: 'pricing: quotes per second (10-line cart, 50 active rules)', run: () => runQuoteBench() },
  {
    // A delivery platform (the simulator, 50 calls/s) fed by a burst of stock-changed through the connector.
    name: 'o2o-connector: a burst of 5,000 stock-changed over 200 SKUs → platform acknowledged, under a 50 calls/s limit',
    run: () => runStockPushBench({ skus: 200, changes: 5_000, ratePerSecond: 50, windowMs: 200 }),
  },
];

async function main(): Promise<void> {
  const only = process.argv[2];
  await infra.up({ quiet: true });
  // The scenarios name their topics with this run's id, so they are deleted at the end like a test run's.
  process.env.OMNI_TEST_RUN ??= `bench${randomBytes(3).toString('hex')}`;
  try {
    await runScenarios(only);
  } finally {
    await deleteRunTopics();
  }
}

async function runScenarios(only: string | undefined): Promise<void> {
  const results: Record<string, object> = {};
  for (const scenario of scenarios.filter((s) => !only || s.name.startsWith(only))) {
    console.log(`\n▶ ${scenario.name}`);
    const started = Date.now();
    const result = await scenario.run();
    results[scenario.name] = result;
    console.log(JSON.stringify(result, null, 2));
    console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s, load average ${loadavg()[0].toFixed(1)})`);
  }
  const root = join(__dirname, '..', '..');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const report = { at: new Date().toISOString(), cpus: cpus().length, node: process.version, results };
  writeFileSync(join(root, 'tmp', 'bench-results.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('\nwritten to tmp/bench-results.json');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
