import { v7 as uuidv7 } from 'uuid';
import { call, ledgerMismatches, OperationsApp, startOperationsApp } from './movements.app-harness';

jest.setTimeout(90_000);

let app: OperationsApp;
let wh: string;
let store: string;
let owner: string;

type ErrorBody = { code: string; details?: Array<{ field: string; reason: string }> };
const fields = (body: ErrorBody) => (body.details ?? []).map((d) => d.field);
const key = () => ({ 'Idempotency-Key': uuidv7() });

beforeAll(async () => {
  app = await startOperationsApp('movements-api');
  wh = (await call(app, 'POST', '/internal/locations', { code: 'WH', name: 'DC', type: 'warehouse', lat: 31, lng: 121, shipsInDays: 2 })).body.id as string;
  store = (await call(app, 'POST', '/internal/locations', { code: 'ST', name: 'Store', type: 'store', lat: 31.1, lng: 121.1 })).body.id as string;
  owner = (await call(app, 'POST', '/internal/owners', { name: 'Retailer', type: 'retailer' })).body.id as string;
});
afterAll(() => app?.close());

afterEach(async () => {
  // The invariant every operation must keep, checked after each test.
  expect(await ledgerMismatches(app.pool)).toEqual([]);
});

async function onHand(sku: string, locationId: string): Promise<number> {
  const { rows } = await app.pool.query(`SELECT COALESCE(SUM(on_hand), 0)::int AS n FROM stock_levels WHERE sku = $1 AND location_id = $2`, [sku, locationId]);
  return rows[0].n;
}

describe('stock documents over HTTP', () => {
  it('runs receipt, adjustment, stocktake, return and transfer, each 201 with its movements', async () => {
    const headers = key();
    const receipt = await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'H-1', locationId: wh, ownerId: owner, quantity: 20 }] }, headers);
    expect(receipt.status).toBe(201);
    expect(receipt.headers.get('idempotent-replayed')).toBe('false');
    const repeat = await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'H-1', locationId: wh, ownerId: owner, quantity: 20 }] }, headers);
    expect(repeat.status).toBe(201);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.body).toEqual(receipt.body);
    expect(await onHand('H-1', wh)).toBe(20);

    const adj = await call(app, 'POST', '/internal/stock/adjustments', { lines: [{ sku: 'H-1', locationId: wh, ownerId: owner, delta: -2, reasonCode: 'damaged' }], note: 'dropped' }, key());
    expect(adj.status).toBe(201);
    const st = await call(app, 'POST', '/internal/stock/stocktakes', { documentId: uuidv7(), lines: [{ sku: 'H-1', locationId: wh, ownerId: owner, counted: 17 }] });
    expect(st.status).toBe(201);
    expect(st.body.variances).toEqual([expect.objectContaining({ variance: -1, onHandBefore: 18 })]);
    const ret = await call(app, 'POST', '/internal/stock/returns', { orderId: uuidv7(), locationId: store, lines: [{ sku: 'H-1', ownerId: owner, quantity: 1 }] }, key());
    expect(ret.status).toBe(201);
    const tr = await call<{ transfer: { id: string; status: string } }>(
      app, 'POST', '/internal/stock/transfers', { fromLocationId: wh, toLocationId: store, inTransit: true, lines: [{ sku: 'H-1', ownerId: owner, quantity: 7 }] }, key(),
    );
    expect(tr.status).toBe(201);
    expect(tr.body.transfer.status).toBe('in_transit');
    expect((await call(app, 'GET', `/internal/stock/transfers/${tr.body.transfer.id}`)).body).toMatchObject({ status: 'in_transit', lines: [{ sku: 'H-1', quantity: 7 }] });
    const received = await call(app, 'POST', `/internal/stock/transfers/${tr.body.transfer.id}/receive`);
    expect(received.status).toBe(201);
    expect((await call(app, 'POST', `/internal/stock/transfers/${tr.body.transfer.id}/receive`)).headers.get('idempotent-replayed')).toBe('true');
    expect(await onHand('H-1', wh)).toBe(10);
    expect(await onHand('H-1', store)).toBe(8);
  });

  it('refuses what would make stock negative with 409 INSUFFICIENT_STOCK naming the line, and changes nothing', async () => {
    await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'H-2', locationId: wh, ownerId: owner, quantity: 3 }] }, key());
    const before = await app.pool.query(`SELECT count(*)::int AS n FROM stock_movements`);
    const adj = await call<ErrorBody>(app, 'POST', '/internal/stock/adjustments', { lines: [{ sku: 'H-2', locationId: wh, ownerId: owner, delta: -4, reasonCode: 'lost' }] }, key());
    expect(adj.status).toBe(409);
    expect(adj.body.code).toBe('INSUFFICIENT_STOCK');
    expect(fields(adj.body)).toEqual(['lines.0.delta']);
    const tr = await call<ErrorBody>(app, 'POST', '/internal/stock/transfers', { fromLocationId: store, toLocationId: wh, lines: [{ sku: 'H-2', ownerId: owner, quantity: 1 }] }, key());
    expect(tr.status).toBe(409);
    expect(fields(tr.body)).toEqual(['lines.0.quantity']);
    const after = await app.pool.query(`SELECT count(*)::int AS n FROM stock_movements`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('requires an idempotency key or document id, and refuses a key reused for another body', async () => {
    const noKey = await call<ErrorBody>(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'H-3', locationId: wh, ownerId: owner, quantity: 1 }] });
    expect(noKey.status).toBe(400);
    expect(noKey.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const headers = key();
    await call(app, 'POST', '/internal/stock/receipts', { lines: [{ sku: 'H-3', locationId: wh, ownerId: owner, quantity: 1 }] }, headers);
    const reused = await call<ErrorBody>(app, 'POST', '/internal/stock/adjustments', { lines: [{ sku: 'H-3', locationId: wh, ownerId: owner, delta: 1, reasonCode: 'found' }] }, headers);
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await onHand('H-3', wh)).toBe(1);
  });

  it('answers unknown locations and owners with 422 naming the field', async () => {
    const res = await call<ErrorBody>(app, 'POST', '/internal/stock/returns', { orderId: uuidv7(), locationId: uuidv7(), lines: [{ sku: 'H-4', ownerId: uuidv7(), quantity: 1 }] }, key());
    expect(res.status).toBe(422);
    expect(fields(res.body).sort()).toEqual(['lines.0.ownerId', 'locationId']);
    expect((await call(app, 'POST', `/internal/stock/transfers/${uuidv7()}/receive`)).status).toBe(404);
    expect((await call(app, 'POST', '/internal/stock/transfers/nope/receive')).status).toBe(400);
  });
});

describe('stock read API', () => {
  it('lists levels by SKU or location and pages the ledger by seq', async () => {
    const consignor = (await call(app, 'POST', '/internal/owners', { name: 'Supplier', type: 'consignor' })).body.id as string;
    await call(app, 'POST', '/internal/stock/receipts', { lines: [
      { sku: 'Q-1', locationId: wh, ownerId: owner, quantity: 4 },
      { sku: 'Q-1', locationId: store, ownerId: consignor, quantity: 2 },
    ] }, key());
    await call(app, 'POST', '/internal/stock/adjustments', { lines: [{ sku: 'Q-1', locationId: wh, ownerId: owner, delta: -1, reasonCode: 'damaged' }] }, key());
    const levels = await call<Array<Record<string, unknown>>>(app, 'GET', '/internal/stock/levels?sku=Q-1');
    expect(levels.status).toBe(200);
    expect(levels.body).toEqual(expect.arrayContaining([
      { sku: 'Q-1', locationId: wh, ownerId: owner, ownerType: 'retailer', onHand: 3, reserved: 0, available: 3 },
      { sku: 'Q-1', locationId: store, ownerId: consignor, ownerType: 'consignor', onHand: 2, reserved: 0, available: 2 },
    ]));
    expect(levels.body).toHaveLength(2);
    const atStore = await call<Array<{ sku: string }>>(app, 'GET', `/internal/stock/levels?locationId=${store}`);
    expect(atStore.body.map((l) => l.sku)).toContain('Q-1');
    const page1 = await call<{ items: Array<{ seq: number; type: string; onHandDelta: number; skuVersion: number }>; nextAfter: number | null }>(
      app, 'GET', '/internal/stock/movements?sku=Q-1&limit=2',
    );
    expect(page1.body.items.map((m) => m.type)).toEqual(['receipt', 'receipt']);
    expect(page1.body.nextAfter).toBe(page1.body.items[1].seq);
    const page2 = await call<{ items: Array<{ type: string; onHandDelta: number; skuVersion: number }>; nextAfter: number | null }>(
      app, 'GET', `/internal/stock/movements?sku=Q-1&limit=2&after=${page1.body.nextAfter}`,
    );
    expect(page2.body).toEqual({ items: [expect.objectContaining({ type: 'adjustment', onHandDelta: -1, skuVersion: 3 })], nextAfter: null });
    expect((await call<{ items: unknown[] }>(app, 'GET', `/internal/stock/movements?sku=Q-1&locationId=${store}`)).body.items).toHaveLength(1);
  });

  it.each([
    ['/internal/stock/levels', 'sku'],
    ['/internal/stock/levels?sku=a%20b', 'sku'],
    ['/internal/stock/levels?locationId=x', 'locationId'],
    ['/internal/stock/movements', 'sku'],
    ['/internal/stock/movements?sku=Q-1&limit=0', 'limit'],
    ['/internal/stock/movements?sku=Q-1&limit=501', 'limit'],
    ['/internal/stock/movements?sku=Q-1&after=-1', 'after'],
    ['/internal/stock/movements?sku=Q-1&after=x', 'after'],
  ])('answers %s with 400 naming %s', async (path, field) => {
    const res = await call<ErrorBody>(app, 'GET', path);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toContain(field);
  });
});

describe('bad input sweep', () => {
  const line = () => ({ sku: 'BAD-1', locationId: wh, ownerId: owner, quantity: 1 });
  const cases: Array<[string, string, () => unknown, string]> = [
    ['receipt without lines', 'receipts', () => ({}), 'lines'],
    ['receipt with empty lines', 'receipts', () => ({ lines: [] }), 'lines'],
    ['receipt lines not an array', 'receipts', () => ({ lines: { 0: line() } }), 'lines'],
    ['receipt line not an object', 'receipts', () => ({ lines: [42] }), 'lines'],
    ['receipt negative quantity', 'receipts', () => ({ lines: [{ ...line(), quantity: -1 }] }), 'lines.0.quantity'],
    ['receipt zero quantity', 'receipts', () => ({ lines: [{ ...line(), quantity: 0 }] }), 'lines.0.quantity'],
    ['receipt fractional quantity', 'receipts', () => ({ lines: [{ ...line(), quantity: 1.5 }] }), 'lines.0.quantity'],
    ['receipt quantity as string', 'receipts', () => ({ lines: [{ ...line(), quantity: '1' }] }), 'lines.0.quantity'],
    ['receipt huge quantity', 'receipts', () => ({ lines: [{ ...line(), quantity: 1e12 }] }), 'lines.0.quantity'],
    ['receipt bad sku', 'receipts', () => ({ lines: [{ ...line(), sku: 'a b' }] }), 'lines.0.sku'],
    ['receipt bad location id', 'receipts', () => ({ lines: [{ ...line(), locationId: 'x' }] }), 'lines.0.locationId'],
    ['receipt missing owner', 'receipts', () => ({ lines: [{ sku: 'BAD-1', locationId: wh, quantity: 1 }] }), 'lines.0.ownerId'],
    ['receipt unknown line field', 'receipts', () => ({ lines: [{ ...line(), price: 5 }] }), 'lines.0.price'],
    ['receipt unknown top field', 'receipts', () => ({ lines: [line()], supplier: 'x' }), 'supplier'],
    ['receipt bad document id', 'receipts', () => ({ documentId: 7, lines: [line()] }), 'documentId'],
    ['return without order', 'returns', () => ({ locationId: wh, lines: [{ sku: 'BAD-1', ownerId: owner, quantity: 1 }] }), 'orderId'],
    ['adjustment zero delta', 'adjustments', () => ({ lines: [{ sku: 'BAD-1', locationId: wh, ownerId: owner, delta: 0, reasonCode: 'lost' }] }), 'lines.0.delta'],
    ['adjustment unknown reason', 'adjustments', () => ({ lines: [{ sku: 'BAD-1', locationId: wh, ownerId: owner, delta: 1, reasonCode: 'whim' }] }), 'lines.0.reasonCode'],
    ['adjustment fractional delta', 'adjustments', () => ({ lines: [{ sku: 'BAD-1', locationId: wh, ownerId: owner, delta: -0.5, reasonCode: 'lost' }] }), 'lines.0.delta'],
    ['stocktake negative count', 'stocktakes', () => ({ lines: [{ sku: 'BAD-1', locationId: wh, ownerId: owner, counted: -1 }] }), 'lines.0.counted'],
    ['stocktake count missing', 'stocktakes', () => ({ lines: [{ sku: 'BAD-1', locationId: wh, ownerId: owner }] }), 'lines.0.counted'],
    ['transfer inTransit as string', 'transfers', () => ({ fromLocationId: wh, toLocationId: store, inTransit: 'yes', lines: [{ sku: 'BAD-1', ownerId: owner, quantity: 1 }] }), 'inTransit'],
    ['transfer to itself', 'transfers', () => ({ fromLocationId: wh, toLocationId: wh, lines: [{ sku: 'BAD-1', ownerId: owner, quantity: 1 }] }), 'toLocationId'],
    ['transfer without source', 'transfers', () => ({ toLocationId: wh, lines: [{ sku: 'BAD-1', ownerId: owner, quantity: 1 }] }), 'fromLocationId'],
  ];

  it.each(cases)('%s → 400 naming the field', async (_what, path, body, field) => {
    const res = await call<ErrorBody>(app, 'POST', `/internal/stock/${path}`, body(), key());
    expect(res.status).toBe(400);
    expect(fields(res.body)).toContain(field);
  });

  it('never answers 5xx to junk bodies and moves no stock', async () => {
    const junk = ['[]', '"text"', '123', 'null', '{"lines": null}', '{"lines": [null]}', '{"lines": [[]]}', '{"lines": "abc"}', '{"__proto__": {"x": 1}, "lines": []}'];
    for (const path of ['receipts', 'returns', 'adjustments', 'stocktakes', 'transfers']) {
      for (const body of junk) {
        const res = await call(app, 'POST', `/internal/stock/${path}`, body, key());
        expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
      }
    }
    const { rows } = await app.pool.query(`SELECT count(*)::int AS n FROM stock_movements WHERE sku = 'BAD-1'`);
    expect(rows[0].n).toBe(0);
  });
});
