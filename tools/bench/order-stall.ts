// Bounded reproduction of the order saga under many concurrent buyers: places `orders` orders from
// `buyers` concurrent buyers against real order + inventory processes (127.0.0.1 only), then waits
// at most `waitS` seconds for every order to be decided, and prints where undecided ones are stuck.
// Buyers poll a 202 like clients do, then pay (`nopay` as 5th argument skips both); DB_POOL_SIZE and
// KAFKA_CONSUMER_CONCURRENCY in the environment are passed to both services (to compare settings).
//   node -r @swc-node/register tools/bench/order-stall.ts [orders=300] [buyers=64] [waitS=90] [nopay]
import { loadavg } from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import { freePort, orderBody, post, SagaWorld } from '../../apps/order/test/saga.harness';
import { serviceAuthHeaders } from '@omni/platform/testing';

type Row = Record<string, unknown>;
const ms = (v: unknown): number => new Date(v as string).getTime();

function percentiles(values: number[]): string {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return 'n/a';
  const at = (p: number): number => Math.round(v[Math.min(v.length - 1, Math.floor(p * v.length))]);
  return `p50 ${at(0.5)} p90 ${at(0.9)} p99 ${at(0.99)} ms`;
}

/**
 * Where a Try's round trip spends its time, from the rows both databases keep: order commit →
 * relay sent → inventory handler start → inventory relay sent → order handler start → decided.
 * (now() in Postgres is the transaction's start, so handler times include no commit.)
 */
async function stages(world: SagaWorld): Promise<string> {
  const tries = (
    await world.orderPool.query<Row>(`SELECT o.id, o.created_at, o.updated_at, x.id AS event_id, x.sent_at FROM orders o
       JOIN messaging_outbox x ON x.key = o.id::text AND x.topic LIKE '%inventory-branch-requested' AND x.payload->>'op' = 'try'`)
  ).rows;
  const invInbox = new Map((await world.inventoryPool.query<Row>(`SELECT event_id, received_at FROM messaging_inbox`)).rows.map((r) => [String(r.event_id), ms(r.received_at)]));
  const replies = new Map<string, Row>();
  for (const r of (await world.inventoryPool.query<Row>(`SELECT id, key, created_at, sent_at FROM messaging_outbox WHERE topic LIKE '%tcc-branch-replied' AND payload->>'op' = 'try' ORDER BY seq`)).rows) {
    if (!replies.has(String(r.key))) replies.set(String(r.key), r);
  }
  const ordInbox = new Map((await world.orderPool.query<Row>(`SELECT event_id, received_at FROM messaging_inbox`)).rows.map((r) => [String(r.event_id), ms(r.received_at)]));
  const relay: number[] = [], toInventory: number[] = [], invRelay: number[] = [], toOrder: number[] = [], decide: number[] = [], total: number[] = [];
  const firstTry = new Map<string, Row>();
  for (const t of tries) if (!firstTry.has(String(t.id))) firstTry.set(String(t.id), t);
  for (const [id, t] of firstTry) {
    const reply = replies.get(id);
    const invStart = invInbox.get(String(t.event_id));
    if (!reply || invStart === undefined || !t.sent_at || !reply.sent_at) continue;
    const ordStart = ordInbox.get(String(reply.id));
    relay.push(ms(t.sent_at) - ms(t.created_at));
    toInventory.push(invStart - ms(t.sent_at));
    invRelay.push(ms(reply.sent_at) - ms(reply.created_at));
    if (ordStart !== undefined) toOrder.push(ordStart - ms(reply.sent_at));
    if (ordStart !== undefined) decide.push(ms(t.updated_at) - ordStart);
    total.push(ms(t.updated_at) - ms(t.created_at));
  }
  return [
    `stages of ${total.length} Tries:`,
    `  order relay (commit → sent)          ${percentiles(relay)}`,
    `  Kafka + inventory queue (→ handler)  ${percentiles(toInventory)}`,
    `  inventory handler + relay (→ sent)   ${percentiles(invRelay)}`,
    `  Kafka + order queue (→ handler)      ${percentiles(toOrder)}`,
    `  order handler (→ decided)            ${percentiles(decide)}`,
    `  created → decided                    ${percentiles(total)}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const orders = Number(process.argv[2] ?? 300);
  const buyers = Number(process.argv[3] ?? 64);
  const waitS = Number(process.argv[4] ?? 90);
  const pay = process.argv[5] !== 'nopay';
  const world = new SagaWorld('order_stall');
  try {
    await world.init();
    const env: Record<string, string> = { LOG_LEVEL: process.env.STALL_LOG_LEVEL ?? 'warn' };
    for (const name of ['DB_POOL_SIZE', 'KAFKA_CONSUMER_CONCURRENCY']) if (process.env[name]) env[name] = process.env[name]!;
    // PROFILE=<dir>: CPU profiles of both services (written when they stop gracefully at the end).
    if (process.env.PROFILE) world.nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`];
    const inventory = await world.startInventory({ ...env, PORT: String(await freePort()) });
    const order = await world.startOrder({
      ...env,
      ORDER_TCC_RECOVERY_INTERVAL_MS: '500',
      ORDER_TCC_TRY_RESEND_MS: '30000',
      ORDER_TCC_RETRY_INITIAL_MS: '5000',
    });
    await world.consumersJoined();
    const skus = Array.from({ length: 50 }, (_, i) => `STALL-${i}`);
    await world.seed(inventory, Object.fromEntries(skus.map((s) => [s, orders])));
    const started = Date.now();
    let next = 0;
    const statuses = new Map<number, number>();
    const worker = async (): Promise<void> => {
      for (let i = next++; i < orders; i = next++) {
        const res = await post(order.url, '/orders', orderBody('app', skus[i % skus.length], 1, world.locationId), { 'idempotency-key': uuidv7() });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) console.log('POST', res.status, JSON.stringify(res.body));
        if (!pay) continue;
        // Like the bench: a 202 is polled until decided (bounded), then the reserved order is paid.
        let o = res.body as { id: string; status: string; payable: number; currency: string };
        const until = Date.now() + waitS * 1000;
        while (o.status === 'created' && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 50));
          o = (await (await fetch(`${order.url}/orders/${o.id}`, { headers: serviceAuthHeaders('order') })).json()) as typeof o;
        }
        if (o.status === 'reserved') await world.pay(order.url, o);
      }
    };
    await Promise.all(Array.from({ length: buyers }, worker));
    const placedS = (Date.now() - started) / 1000;
    console.log(`placed ${orders} in ${placedS.toFixed(1)} s, answers ${JSON.stringify(Object.fromEntries(statuses))}, load ${loadavg()[0].toFixed(1)}`);
    const until = Date.now() + waitS * 1000;
    let undecided = 0;
    for (;;) {
      const { rows } = await world.orderPool.query(`SELECT count(*)::int AS n FROM orders WHERE status = 'created'`);
      undecided = rows[0].n;
      if (undecided === 0 || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`after ${((Date.now() - started) / 1000).toFixed(1)} s: ${undecided} undecided; orders ${JSON.stringify(await world.orders())}; sagas ${JSON.stringify(await world.sagas())}`);
    console.log(await stages(world));
    for (const [name, p] of [['order', order], ['inventory', inventory]] as const) {
      const errors = p.tail(100_000).split('\n').filter((l) => /"level":"(error|fatal)"|retrying|dead-lettered/.test(l));
      const kinds = new Map<string, number>();
      for (const l of errors) {
        const k = (/"msg":"([^"]{0,80})/.exec(l)?.[1] ?? '?') + ' / ' + (/"(?:error|message)":"([^"]{0,60})/.exec(l)?.[1] ?? '');
        kinds.set(k, (kinds.get(k) ?? 0) + 1);
      }
      console.log(`${name} kinds`, JSON.stringify(Object.fromEntries(kinds), null, 1));
      console.log(`${name}: ${errors.length} error/retry lines`, errors.slice(-4).map((l) => (/"(err|error)":.{0,400}/.exec(l)?.[0] ?? l).slice(0, 500)).join('\n'));
    }
    if (process.env.PROFILE) await Promise.all([order.kill('SIGTERM'), inventory.kill('SIGTERM')]);
    if (undecided > 0) {
      const q = async (pool: typeof world.orderPool, sql: string): Promise<unknown[]> => (await pool.query(sql)).rows;
      console.log('stuck sagas', JSON.stringify(await q(world.orderPool, `SELECT g.gid, g.status, g.phase_attempts, g.next_attempt_at, g.created_at, b.status AS branch, b.attempts FROM tcc_global g JOIN tcc_branch b USING (gid) JOIN orders o ON o.id = g.gid WHERE o.status = 'created' LIMIT 5`)));
      console.log('order outbox unsent', JSON.stringify(await q(world.orderPool, `SELECT topic, count(*) FROM messaging_outbox WHERE sent_at IS NULL GROUP BY topic`)));
      console.log('inventory outbox unsent', JSON.stringify(await q(world.inventoryPool, `SELECT topic, count(*) FROM messaging_outbox WHERE sent_at IS NULL GROUP BY topic`)));
      const stuck = (await q(world.orderPool, `SELECT id FROM orders WHERE status = 'created' LIMIT 5`)).map((r) => String((r as { id: string }).id));
      const list = stuck.map((id) => `'${id}'`).join(',');
      console.log('order outbox of stuck', JSON.stringify(await q(world.orderPool, `SELECT key, topic, sent_at, created_at, attempts FROM messaging_outbox WHERE key IN (${list}) ORDER BY seq`)));
      console.log('inventory barrier of stuck', JSON.stringify(await q(world.inventoryPool, `SELECT * FROM tcc_barrier WHERE gid IN (${list})`)));
      console.log('inventory outbox of stuck', JSON.stringify(await q(world.inventoryPool, `SELECT key, topic, sent_at, created_at FROM messaging_outbox WHERE key IN (${list}) ORDER BY seq`)));
      console.log('order inbox', JSON.stringify(await q(world.orderPool, `SELECT topic, count(*) FROM messaging_inbox GROUP BY topic`)));
      console.log('inventory inbox', JSON.stringify(await q(world.inventoryPool, `SELECT topic, count(*) FROM messaging_inbox GROUP BY topic`)));
      console.log('--- order tail\n', order.tail(6000));
      console.log('--- inventory tail\n', inventory.tail(6000));
    }
  } finally {
    await world.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
