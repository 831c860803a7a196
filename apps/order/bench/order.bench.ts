// Order saga benchmark: TCC sagas (Try + Confirm with the inventory participant, and with member
// too when asked) per second end to end, through the real processes (order, inventory and member
// from their main.ts), Postgres, Kafka and Redis; and the decision latency POST /orders sees. Then, with the services stopped, the saga SQL
// ceiling: pgbench running one saga's own transactions, reduced to the rows the design requires.
// Run through `npm run bench` or directly:
//   node -r @swc-node/register apps/order/bench/order.bench.ts
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { CpuMeter, kafkaMessagesUnder, pgbenchTps, pidsMatching, printBenchResult, sqlStatementsSent } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { freePort, orderBody, post, SagaWorld } from '../test/saga.harness';

/** Settings of one bench run. */
export interface OrderBenchOptions {
  /** Sagas to run (default 2000). */
  sagas?: number;
  /** Buyers placing and paying orders at once (default 64). */
  concurrency?: number;
  /** Distinct SKUs the orders spread over (default 50; 1 = a single hot SKU). */
  skus?: number;
  /** Sagas before measuring, to warm the JIT, pools and consumers (default 100). */
  warmup?: number;
  /** Seconds of the saga SQL ceiling's pgbench run once the services are stopped (default 10; 0 skips it). */
  ceilingSeconds?: number;
  /** Every order is a member's spending points, so member's Try and Confirm are in each saga (default false). */
  member?: boolean;
}

/** What one run measured. */
export interface OrderBenchResult {
  sagas: number;
  concurrency: number;
  skus: number;
  /** Whether member was a participant of every saga. */
  member: boolean;
  /** Sagas from POST /orders to every branch confirmed, per second of wall time. */
  sagasPerSecond: number;
  /** First POST /orders → the buyer holds the reserved answer (asking again after a 202 included), ms. */
  decisionP50Ms: number;
  decisionP99Ms: number;
  /** Orders answered 202 (no decision within the wait). */
  answered202: number;
  /** Seconds from the first POST to the last saga confirmed. */
  seconds: number;
  cpus: number;
  loadAverage: number;
  /**
   * The saga SQL ceiling: one saga's own transactions reduced to the rows the design requires
   * (saga-ceiling.pgbench.sql), run by pgbench alone on this machine with the services stopped, in
   * sagas per second. No Kafka, HTTP or Node in it, so the end-to-end figure stays below it.
   */
  sagaSqlCeilingPerSecond: number | null;
  /**
   * CPU milliseconds per saga of each process during the measured sagas (from /proc: user +
   * system time), and their sum. Postgres counts every backend of the server and the broker the
   * whole JVM, so other work on the machine at the same time is counted too.
   */
  cpuMsPerSaga: Record<string, number>;
  /** SQL statements per saga each service sent (its db_statements_total), and their sum. */
  sqlStatementsPerSaga: Record<string, number>;
  /** Messages written to the run's Kafka topics per saga. */
  kafkaMessagesPerSaga: number;
  target: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Starts both services on fresh databases, runs the sagas, and reports throughput and latency. */
export async function runOrderBench(opts: OrderBenchOptions = {}): Promise<OrderBenchResult> {
  const sagas = opts.sagas ?? 2000;
  const concurrency = opts.concurrency ?? 64;
  const skuCount = opts.skus ?? 50;
  const warmup = opts.warmup ?? 100;
  const world = new SagaWorld('order_bench');
  let progress: NodeJS.Timeout | undefined;
  let measured: Omit<OrderBenchResult, 'sagaSqlCeilingPerSecond' | 'target' | 'cpuMsPerSaga' | 'sqlStatementsPerSaga' | 'kafkaMessagesPerSaga'>;
  let cpuMsPerSaga: Record<string, number> = {};
  let sqlStatementsPerSaga: Record<string, number> = {};
  let kafkaMessagesPerSaga = 0;
  try {
    await world.init();
    // ORDER_BENCH_PROFILE_DIR=<dir> writes CPU profiles of both services there (on a clean stop).
    const profileDir = process.env.ORDER_BENCH_PROFILE_DIR;
    if (profileDir) world.nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    // As deployed: the services' default trace sampling (10% of root traces), which NODE_ENV=test
    // (the harness's default, which samples every trace) would raise to all of them.
    const quiet = { LOG_LEVEL: 'warn', NODE_ENV: 'development' };
    // One at a time: two services compiling at once on this machine has made one exit silently at start-up.
    // Inventory as it should be deployed behind a busy order service: its commands (6 partitions,
    // keyed by order) handled a partition per lane, with the pool to match (both default to 1 and 10).
    const inventory = await world.startInventory({ ...quiet, PORT: String(await freePort()), KAFKA_CONSUMER_CONCURRENCY: '6', DB_POOL_SIZE: '20' });
    const order = await world.startOrder({ ...quiet, ORDER_TCC_RECOVERY_INTERVAL_MS: '500', ORDER_TCC_TRY_RESEND_MS: '30000', ORDER_TCC_RETRY_INITIAL_MS: '5000' });
    const skus = Array.from({ length: skuCount }, (_, i) => `BENCH-${i}`);
    await world.seed(inventory, Object.fromEntries(skus.map((s) => [s, sagas + warmup])));
    // With member: twice as many members as buyers at once (one member's Trys serialise on its row), each with points enough for every order.
    const memberSetup = opts.member ? await benchMembers(world, concurrency * 2, sagas + warmup) : null;
    const members = memberSetup?.ids ?? [];
    const buyer = (i: number): Record<string, unknown> =>
      members.length === 0 ? {} : { buyer: { memberId: members[i % members.length], anonymous: false }, points: { points: 10, value: 10 } };

    const run = async (count: number, latencies: number[]): Promise<{ answered202: number }> => {
      let next = 0;
      let answered202 = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < count; i = next++) {
          const started = performance.now();
          const body = { ...orderBody('app', skus[i % skus.length], 1, world.locationId), ...buyer(i) };
          const key = { 'idempotency-key': uuidv7() };
          let res = await post(order.url, '/orders', body, key);
          if (res.status === 202) answered202++;
          // Pending (202): the buyer's app asks again with the same Idempotency-Key, which waits on the
          // server for the decision, rather than polling GET /orders/:id.
          const until = Date.now() + 60_000;
          while (res.status === 202) {
            if (Date.now() > until) throw new Error(`order ${String(res.body.id)} undecided after 60 s`);
            res = await post(order.url, '/orders', body, key);
          }
          // Decision latency: from the first POST until the buyer knows the answer, however many asks it took.
          latencies.push(performance.now() - started);
          const o = res.body as { id: string; status: string; payable: number; currency: string };
          if (o.status !== 'reserved') throw new Error(`order ${o.id} was ${o.status}`);
          const paid = await world.pay(order.url, o);
          if (paid.status !== 200) throw new Error(`payment answered ${paid.status}: ${JSON.stringify(paid.body)}`);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return { answered202 };
    };
    const confirmed = async (n: number): Promise<void> => {
      const until = Date.now() + 120_000;
      for (;;) {
        const { rows } = await world.orderPool.query(`SELECT count(*)::int AS n FROM tcc_global WHERE status = 'confirmed'`);
        if (rows[0].n >= n) return;
        if (Date.now() > until) throw new Error(`only ${rows[0].n}/${n} sagas confirmed: ${JSON.stringify(await world.sagas())}\norder:\n${order.tail()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    progress = setInterval(() => {
      void world.sagas().then((s) => process.stderr.write(`order bench: sagas ${JSON.stringify(s)}\n`), () => undefined);
    }, 5000);
    progress.unref();

    await run(warmup, []);
    await confirmed(warmup);
    const latencies: number[] = [];
    const meter = new CpuMeter({
      order: () => [order.pid],
      inventory: () => [inventory.pid],
      ...(memberSetup ? { member: () => [memberSetup.pid] } : {}),
      postgres: () => pidsMatching('postgres'),
      kafka: () => pidsMatching('kafka.Kafka'),
      'load generator': () => [process.pid],
    });
    const metricsUrls: Record<string, string> = { order: `${order.url}/metrics`, inventory: `${inventory.url}/metrics`, ...(memberSetup ? { member: `${memberSetup.url}/metrics` } : {}) };
    const sqlBefore = await sqlStatementsSent(metricsUrls);
    const kafkaBefore = await kafkaMessagesUnder(world.topicPrefix);
    meter.start();
    const started = performance.now();
    const { answered202 } = await run(sagas, latencies);
    await confirmed(warmup + sagas);
    const seconds = (performance.now() - started) / 1000;
    const used = meter.stop();
    const perSaga = (n: number) => Math.round((n / sagas) * 100) / 100;
    cpuMsPerSaga = Object.fromEntries([...Object.entries(used).map(([k, v]) => [k, perSaga(v)]), ['total', perSaga(Object.values(used).reduce((a, b) => a + b, 0))]]);
    const sqlAfter = await sqlStatementsSent(metricsUrls);
    const sqlUsed = Object.fromEntries(Object.keys(sqlAfter).map((k) => [k, sqlAfter[k] - sqlBefore[k]]));
    sqlStatementsPerSaga = Object.fromEntries([...Object.entries(sqlUsed).map(([k, v]) => [k, perSaga(v)]), ['total', perSaga(Object.values(sqlUsed).reduce((a, b) => a + b, 0))]]);
    kafkaMessagesPerSaga = perSaga((await kafkaMessagesUnder(world.topicPrefix)) - kafkaBefore);
    latencies.sort((a, b) => a - b);
    if (profileDir) await Promise.all([order.kill('SIGTERM'), inventory.kill('SIGTERM')]);
    measured = {
      sagas,
      concurrency,
      skus: skuCount,
      member: opts.member ?? false,
      sagasPerSecond: Math.round(sagas / seconds),
      decisionP50Ms: Math.round(percentile(latencies, 50)),
      decisionP99Ms: Math.round(percentile(latencies, 99)),
      answered202,
      seconds: Math.round(seconds * 10) / 10,
      cpus: cpus().length,
      loadAverage: Math.round(loadavg()[0] * 10) / 10,
    };
  } finally {
    clearInterval(progress);
    await world.close();
  }
  const ceilingSeconds = opts.ceilingSeconds ?? 10;
  const ceiling = ceilingSeconds > 0 ? await pgbenchTps({ workload: { kind: 'script', schemaFile: join(__dirname, 'saga-ceiling.schema.sql'), scriptFile: join(__dirname, 'saga-ceiling.pgbench.sql') }, seconds: ceilingSeconds }) : null;
  return {
    ...measured,
    sagaSqlCeilingPerSecond: ceiling === null ? null : Math.round(ceiling),
    cpuMsPerSaga,
    sqlStatementsPerSaga,
    kafkaMessagesPerSaga,
    target: '>= 200 sagas/s and >= 0.35 x the saga SQL ceiling, decision p99 <= 250 ms',
  };
}

/** Starts member and registers `count` members holding points for `orders` orders of 10 points each; returns their ids and member's pid. */
async function benchMembers(world: SagaWorld, count: number, orders: number): Promise<{ ids: string[]; pid: number; url: string }> {
  await world.initMember();
  const member = await world.startMember({ LOG_LEVEL: 'warn', NODE_ENV: 'development', PORT: String(await freePort()), KAFKA_CONSUMER_CONCURRENCY: '6', DB_POOL_SIZE: '20', MEMBER_MARKETING_INTERVAL_MS: '0' });
  const p = world.topicPrefix;
  await world.consumersJoined([`${p}order`, `${p}inventory`, `${p}member`]);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const reg = await post(member.url, '/internal/members', { channel: 'app', account: { kind: 'app', accountId: `bench-${uuidv7()}` } });
    if (reg.status !== 201) throw new Error(`member registration answered ${reg.status}: ${JSON.stringify(reg.body)}`);
    const memberId = String(reg.body.memberId);
    const perMember = Math.ceil(orders / count) * 10;
    const earned = await post(member.url, `/internal/members/${memberId}/points/earn`, { orderId: uuidv7(), channel: 'app', paidAmount: perMember * 100 });
    if (earned.status !== 200) throw new Error(`earning answered ${earned.status}: ${JSON.stringify(earned.body)}`);
    ids.push(memberId);
  }
  return { ids, pid: member.pid, url: member.url };
}

/** What member's Try and Confirm cost the order saga: the same run without and with member in every saga. */
export async function runOrderMemberBench(opts: Omit<OrderBenchOptions, 'member' | 'ceilingSeconds'> = {}): Promise<{
  withoutMember: OrderBenchResult;
  withMember: OrderBenchResult;
  msPerSagaWithout: number;
  msPerSagaWith: number;
  memberCostMsPerSaga: number;
  /** Machine CPU milliseconds per saga with member minus without (every process counted). */
  memberCpuMsPerSaga: number;
  decisionP50CostMs: number;
}> {
  const withoutMember = await runOrderBench({ ...opts, ceilingSeconds: 0 });
  const withMember = await runOrderBench({ ...opts, ceilingSeconds: 0, member: true });
  const msPer = (r: OrderBenchResult) => Math.round((1000 / r.sagasPerSecond) * 100) / 100;
  return {
    withoutMember,
    withMember,
    msPerSagaWithout: msPer(withoutMember),
    msPerSagaWith: msPer(withMember),
    memberCostMsPerSaga: Math.round((msPer(withMember) - msPer(withoutMember)) * 100) / 100,
    memberCpuMsPerSaga: Math.round((withMember.cpuMsPerSaga.total - withoutMember.cpuMsPerSaga.total) * 100) / 100,
    decisionP50CostMs: withMember.decisionP50Ms - withoutMember.decisionP50Ms,
  };
}

if (require.main === module) {
  const sagas = Number(process.argv[2] ?? 2000);
  const concurrency = Number(process.argv[3] ?? 64);
  printBenchResult(runOrderBench({ sagas, concurrency }));
}
