// The daily settlement check against the simulator's settlement file (its own process): each planted
// discrepancy — an order missing from the statement, a line for no order of ours, a wrong commission,
// a wrong amount — is found, nothing else is, the statement is kept, and o2o-reconciliation-mismatch
// is published with it; a clean day publishes nothing.
import { uniqueId, waitFor } from '@omni/testing';
import { call, O2oWorld } from './o2o-world.harness';

jest.setTimeout(600_000);

const world = new O2oWorld('o2o_recon');
const TEA = uniqueId('TEA').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const STORE = 'ST-200';
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  await world.start();
  await world.consumersJoined(['order', 'inventory']);
  await world.seed({ [TEA]: 50 });
  await world.map({ [TEA]: 'E-TEA' }, STORE);
});

afterAll(() => world.close());

async function mismatchEvents(): Promise<Array<Record<string, unknown>>> {
  const { rows } = await world.connectorPool.query(`SELECT payload FROM messaging_outbox WHERE topic = $1 ORDER BY created_at`, [`${world.topicPrefix}o2o-reconciliation-mismatch`]);
  return rows.map((row: { payload: Record<string, unknown> }) => row.payload);
}

it('finds each planted mismatch and nothing else, keeps the statement and publishes the mismatch', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 7; i += 1) {
    const placed = await world.placeOrder(STORE, [{ item: 'E-TEA', qty: 1 + (i % 3), price: 1_000 + i * 137 }]);
    expect((await world.platformOrder(placed.order.orderId)).state).toBe('accepted');
    ids.push(placed.order.orderId);
  }
  const [missing, wrongCommission, wrongAmount] = ids;
  const plant = (body: Record<string, unknown>) => call('POST', `${world.simulator.url}/_sim/settlement/plant`, body);
  expect((await plant({ orderId: missing, omit: true })).status).toBe(200);
  expect((await plant({ orderId: wrongCommission, commission: 1 })).status).toBe(200);
  const wrongAmountOrder = await world.platformOrder(wrongAmount);
  expect((await plant({ orderId: wrongAmount, gross: wrongAmountOrder.total + 100 })).status).toBe(200);
  expect((await call('POST', `${world.simulator.url}/_sim/settlement/extra`, { orderId: 'DLV-GHOST-1', gross: 4_200, day: today() })).status).toBe(200);

  const run = await call('POST', `${world.connector.url}/internal/platforms/${world.channel}/reconciliations`, { day: today() });
  expect(run.status).toBe(201);
  expect(run.body).toMatchObject({ platform: world.channel, businessDay: today(), commissionBps: 800, trigger: 'staff', counts: { matched: 4, missing: 1, extra: 1, 'amount-mismatched': 2 } });
  const lines = run.body.lines as Array<{ platformOrderId: string; status: string; fields: string[] }>;
  expect(lines.filter((line) => line.status !== 'matched').map((line) => [line.platformOrderId, line.status, line.fields]).sort()).toEqual(
    [
      [missing, 'missing', []],
      [wrongCommission, 'amount-mismatched', ['commission', 'net']],
      [wrongAmount, 'amount-mismatched', ['gross', 'commission', 'net']],
      ['DLV-GHOST-1', 'extra', []],
    ].sort(),
  );
  expect(lines.filter((line) => line.status === 'matched').map((line) => line.platformOrderId).sort()).toEqual(ids.slice(3).sort());

  // Kept in Postgres: listed and readable.
  const list = await call('GET', `${world.connector.url}/internal/platforms/${world.channel}/reconciliations`);
  expect(list.status).toBe(200);
  const read = await call('GET', `${world.connector.url}/internal/reconciliations/${String(run.body.id)}`);
  expect(read.body).toEqual(run.body);
  // Published with the statement.
  await waitFor(async () => (await mismatchEvents()).length === 1, { timeoutMs: 10_000, what: 'the mismatch event in the outbox' });
  expect((await mismatchEvents())[0]).toMatchObject({ statementId: run.body.id, platform: world.channel, businessDay: today(), matched: 4, missing: 1, extra: 1, amountMismatched: 2, trigger: 'staff' });
});

it('a clean day is kept as all matched, and publishes nothing', async () => {
  const before = (await mismatchEvents()).length;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const run = await call('POST', `${world.connector.url}/internal/platforms/${world.channel}/reconciliations`, { day: yesterday });
  expect(run.body).toMatchObject({ counts: { matched: 0, missing: 0, extra: 0, 'amount-mismatched': 0 }, lines: [] });
  expect((await mismatchEvents()).length).toBe(before);
  expect((await call('POST', `${world.connector.url}/internal/platforms/${world.channel}/reconciliations`, { day: '2026-13-01' })).status).toBe(400);
  expect((await call('POST', `${world.connector.url}/internal/platforms/nowhere/reconciliations`, { day: yesterday })).status).toBe(404);
});
