import { v7 as uuidv7 } from 'uuid';
import { ReservationService, RunNeedsOneByOne } from '../src/reservation/reservation.service';
import { BranchReply } from '../src/reservation/domain/reservation.types';
import { addLocation, addOwner, buildReservationService, createInventoryTestDb, InventoryTestDb, ledgerMismatches } from './reservation.harness';

// The TCC state matrix through the real reservation service and Postgres: each phase against each
// prior state of a branch, delivered twice in a row and twice at once, checking replies, ledger
// rows and outbox events (each effect exactly once).
jest.setTimeout(120_000);

type Prior = 'none' | 'tried' | 'confirmed' | 'cancelled' | 'empty';
type Op = 'try' | 'confirm' | 'cancel';

let t: InventoryTestDb;
let service: ReservationService;
let location: string;

beforeAll(async () => {
  t = await createInventoryTestDb('tcc_reservation', 12);
  ({ service } = buildReservationService(t));
  location = await addLocation(t.pool, 'WH-T');
  const owner = await addOwner(t.pool, 'Retailer');
  const { ledger } = buildReservationService(t);
  await t.dataSource.transaction((tx) =>
    ledger.applyMovements(tx, [{ sku: 'SKU-T', locationId: location, ownerId: owner, type: 'receipt', onHandDelta: 1000, reservedDelta: 0 }]),
  );
});
afterAll(() => t.close());

function send(op: Op, gid: string): Promise<BranchReply> {
  const cmd = { gid, branchId: `${gid.slice(0, 8)}-0000-7000-8000-000000000001` };
  if (op === 'try') {
    return service.try({ ...cmd, deadline: new Date(Date.now() + 600_000), channel: 'app', lines: [{ sku: 'SKU-T', quantity: 1, locationId: 'any' }] });
  }
  return op === 'confirm' ? service.confirm(cmd) : service.cancel(cmd);
}

async function prepare(prior: Prior): Promise<string> {
  const gid = uuidv7();
  if (prior !== 'none' && prior !== 'empty') expect((await send('try', gid)).outcome).toBe('success');
  if (prior === 'confirmed') expect((await send('confirm', gid)).outcome).toBe('success');
  if (prior === 'cancelled' || prior === 'empty') expect((await send('cancel', gid)).outcome).toBe('success');
  return gid;
}

async function effects(gid: string): Promise<Record<string, number>> {
  const moves = await t.pool.query(`SELECT type, count(*)::int AS n FROM stock_movements WHERE ref LIKE $1 GROUP BY type`, [`${gid}/%`]);
  const events = await t.pool.query(`SELECT topic, count(*)::int AS n FROM messaging_outbox WHERE key = $1 GROUP BY topic`, [gid]);
  const out: Record<string, number> = {};
  for (const r of moves.rows) out[r.type] = r.n;
  for (const r of events.rows) out[r.topic] = r.n;
  return out;
}

const EFFECTS: Record<Prior, Record<string, number>> = {
  none: {},
  empty: {},
  tried: { reservation: 1, 'stock-reserved': 1 },
  confirmed: { reservation: 1, 'stock-reserved': 1, deduction: 1, 'stock-deducted': 1 },
  cancelled: { reservation: 1, 'stock-reserved': 1, release: 1, 'stock-released': 1 },
};

// op, prior, [reply of each delivery], state afterwards
const matrix: Array<[Op, Prior, string, Prior]> = [
  ['try', 'none', 'success', 'tried'],
  ['try', 'tried', 'success', 'tried'],
  ['try', 'confirmed', 'success', 'confirmed'],
  ['try', 'cancelled', 'success', 'cancelled'],
  ['try', 'empty', 'failure:BRANCH_CANCELLED', 'empty'],
  ['confirm', 'none', 'retry:BRANCH_NOT_TRIED', 'none'],
  ['confirm', 'tried', 'success', 'confirmed'],
  ['confirm', 'confirmed', 'success', 'confirmed'],
  ['confirm', 'cancelled', 'failure:BRANCH_CANCELLED', 'cancelled'],
  ['confirm', 'empty', 'failure:BRANCH_CANCELLED', 'empty'],
  ['cancel', 'none', 'success', 'empty'],
  ['cancel', 'tried', 'success', 'cancelled'],
  ['cancel', 'confirmed', 'failure:BRANCH_CONFIRMED', 'confirmed'],
  ['cancel', 'cancelled', 'success', 'cancelled'],
  ['cancel', 'empty', 'success', 'empty'],
];

const summary = (r: BranchReply) => (r.outcome === 'success' ? 'success' : `${r.outcome}:${r.reasons[0]?.code}`);

describe('reservation TCC state matrix', () => {
  it.each(matrix)('%s after %s, twice in a row → %s', async (op, prior, reply, after) => {
    const gid = await prepare(prior);
    const first = await send(op, gid);
    const second = await send(op, gid);
    expect([summary(first), summary(second)]).toEqual([reply, reply]);
    expect(await effects(gid)).toEqual(EFFECTS[after]);
  });

  it.each(matrix)('%s after %s, twice at once → %s', async (op, prior, reply, after) => {
    const gid = await prepare(prior);
    const both = await Promise.all([send(op, gid), send(op, gid)]);
    expect(both.map(summary)).toEqual([reply, reply]);
    expect(await effects(gid)).toEqual(EFFECTS[after]);
  });

  it('a duplicate Try answers with the same reserved lines', async () => {
    const gid = await prepare('none');
    const [a, b] = [await send('try', gid), await send('try', gid)];
    expect(a.lines).toHaveLength(1);
    expect(b.lines).toEqual(a.lines);
  });

  it('Try racing Cancel: either the Try is held and released, or the Cancel is empty and the Try suspended', async () => {
    for (let i = 0; i < 10; i++) {
      const gid = uuidv7();
      const [tr, ca] = await Promise.all([send('try', gid), send('cancel', gid)]);
      expect(ca.outcome).toBe('success');
      const fx = await effects(gid);
      if (tr.outcome === 'success') expect(fx).toEqual(EFFECTS.cancelled);
      else expect([summary(tr), fx]).toEqual(['failure:BRANCH_CANCELLED', {}]);
      await Promise.all([send('try', gid), send('cancel', gid)]);
      expect(await effects(gid)).toEqual(fx);
    }
  });

  it('a Try Postgres refused cannot be confirmed: the Confirm leaves no barrier row, and a Cancel still applies', async () => {
    const gid = uuidv7();
    const cmd = { gid, branchId: `${gid.slice(0, 8)}-0000-7000-8000-000000000001` };
    const refused = await service.try({ ...cmd, deadline: new Date(Date.now() + 600_000), channel: 'app', lines: [{ sku: 'SKU-T', quantity: 1_000_000, locationId: 'any' }] });
    expect(refused.outcome).toBe('failure');
    expect(summary(await service.confirm(cmd))).toBe('failure:BRANCH_REJECTED');
    expect(summary(await service.confirm(cmd))).toBe('failure:BRANCH_REJECTED');
    const { rows } = await t.pool.query(`SELECT op FROM tcc_barrier WHERE gid = $1 ORDER BY op`, [gid]);
    expect(rows.map((r: { op: string }) => r.op)).toEqual(['try']);
    expect((await service.cancel(cmd)).outcome).toBe('success');
    expect(await effects(gid)).toEqual({});
  });

  it('a run of Confirms and Trys answers each command as one at a time would, and applies each once', async () => {
    const branchOf = (gid: string) => ({ gid, branchId: `${gid.slice(0, 8)}-0000-7000-8000-000000000001` });
    const tryOf = (gid: string) => ({ op: 'try' as const, cmd: { ...branchOf(gid), deadline: new Date(Date.now() + 600_000), channel: 'app', lines: [{ sku: 'SKU-T', quantity: 1, locationId: 'any' }] } });
    const confirmOf = (gid: string) => ({ op: 'confirm' as const, cmd: branchOf(gid) });
    const [tried, confirmed, cancelled, none, fresh] = [await prepare('tried'), await prepare('confirmed'), await prepare('cancelled'), await prepare('none'), uuidv7()];
    const run = [confirmOf(tried), tryOf(fresh), confirmOf(confirmed), confirmOf(cancelled), confirmOf(none), confirmOf(tried), tryOf(fresh), tryOf(tried)];
    const { replies } = await t.dataSource.transaction((tx) => service.runIn(tx, run));
    expect(replies.map((r) => `${r.op}:${summary(r)}`)).toEqual([
      'confirm:success',
      'try:success',
      'confirm:success',
      'confirm:failure:BRANCH_CANCELLED',
      'confirm:retry:BRANCH_NOT_TRIED',
      'confirm:success',
      'try:success',
      'try:success',
    ]);
    expect(await effects(tried)).toEqual(EFFECTS.confirmed);
    expect(await effects(confirmed)).toEqual(EFFECTS.confirmed);
    expect(await effects(cancelled)).toEqual(EFFECTS.cancelled);
    expect(await effects(none)).toEqual({});
    expect(await effects(fresh)).toEqual(EFFECTS.tried);
    expect(await ledgerMismatches(t.pool)).toEqual([]);
  });

  it('a run holding the Confirm of a refused Try writes nothing and says to apply it one command at a time', async () => {
    const gid = uuidv7();
    const branch = { gid, branchId: `${gid.slice(0, 8)}-0000-7000-8000-000000000001` };
    expect((await service.try({ ...branch, deadline: new Date(Date.now() + 600_000), channel: 'app', lines: [{ sku: 'SKU-T', quantity: 1_000_000, locationId: 'any' }] })).outcome).toBe('failure');
    const held = await prepare('tried');
    const heldBranch = { gid: held, branchId: `${held.slice(0, 8)}-0000-7000-8000-000000000001` };
    await expect(
      t.dataSource.transaction((tx) => service.runIn(tx, [{ op: 'confirm', cmd: heldBranch }, { op: 'confirm', cmd: branch }])),
    ).rejects.toBeInstanceOf(RunNeedsOneByOne);
    expect(await effects(held)).toEqual(EFFECTS.tried);
    const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM tcc_barrier WHERE gid = ANY($1) AND op = 'confirm'`, [[gid, held]]);
    expect(rows).toEqual([{ n: 0 }]);
    expect(summary(await service.confirm(branch))).toBe('failure:BRANCH_REJECTED');
  });

  it('Confirm racing Cancel after a Try: exactly one wins', async () => {
    for (let i = 0; i < 10; i++) {
      const gid = await prepare('tried');
      const [co, ca] = await Promise.all([send('confirm', gid), send('cancel', gid)]);
      const fx = await effects(gid);
      if (co.outcome === 'success') expect([summary(ca), fx]).toEqual(['failure:BRANCH_CONFIRMED', EFFECTS.confirmed]);
      else expect([summary(co), ca.outcome, fx]).toEqual(['failure:BRANCH_CANCELLED', 'success', EFFECTS.cancelled]);
    }
  });

  it('keeps levels equal to the ledger after the whole matrix', async () => {
    expect(await ledgerMismatches(t.pool)).toEqual([]);
    const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM reservations WHERE status = 'tried'`);
    const { rows: lv } = await t.pool.query(`SELECT reserved FROM stock_levels WHERE sku = 'SKU-T'`);
    expect(lv[0].reserved).toBe(rows[0].n);
  });
});
