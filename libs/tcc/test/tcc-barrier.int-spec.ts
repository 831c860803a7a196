import { Pool, PoolClient } from 'pg';
import { createTestDatabase, TestDatabase, uniqueId } from '@omni/testing';
import { branchesWithTry, branchKey, claimConfirms, runTccBranch, TCC_BARRIER_DDL, TccBranchOutcome, TccOp, TRY_REFUSED } from '../src';

// The DTM-style state matrix against real Postgres: every phase against every prior state,
// delivered twice in a row and twice at once on separate connections, plus cross-phase races.
jest.setTimeout(120_000);

type Prior = 'none' | 'tried' | 'confirmed' | 'cancelled' | 'empty-rolled-back';
type Status = TccBranchOutcome<unknown>['status'] | string;

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('tcc_barrier');
  pool = db.pool(12);
  await pool.query(TCC_BARRIER_DDL);
  await pool.query('CREATE TABLE effects (gid text, branch_id text, op text)');
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** `work` in its own transaction on its own connection: committed, or rolled back if it throws. */
async function inOwnTx<R>(work: (client: PoolClient) => Promise<R>): Promise<R> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const statusOf = (outcome: TccBranchOutcome<unknown>): Status => (outcome.status === 'refused' ? `refused:${outcome.code}` : outcome.status);

/** One delivery of a phase in its own transaction on its own connection; the handler records an effect. */
function deliver(op: TccOp, gid: string, holdMs = 0): Promise<Status> {
  return inOwnTx(async (client) =>
    statusOf(
      await runTccBranch(client, { gid, branchId: 'b1', op }, async (tx) => {
        await tx.query('INSERT INTO effects VALUES ($1, $2, $3)', [gid, 'b1', op]);
        if (holdMs) await tx.query('SELECT pg_sleep($1)', [holdMs / 1000]);
        return op;
      }),
    ),
  );
}

async function effects(gid: string): Promise<Record<string, number>> {
  const { rows } = await pool.query('SELECT op, count(*)::int AS n FROM effects WHERE gid = $1 GROUP BY op', [gid]);
  return Object.fromEntries(rows.map((r: { op: string; n: number }) => [r.op, r.n]));
}

async function prepare(prior: Prior): Promise<string> {
  const gid = uniqueId('g');
  if (prior === 'tried' || prior === 'confirmed' || prior === 'cancelled') await deliver('try', gid);
  if (prior === 'confirmed') await deliver('confirm', gid);
  if (prior === 'cancelled' || prior === 'empty-rolled-back') await deliver('cancel', gid);
  return gid;
}

// [first delivery, second delivery] expected for op × prior state, and the effects afterwards.
const matrix: Array<[TccOp, Prior, [Status, Status], Record<string, number>]> = [
  ['try', 'none', ['applied', 'duplicate'], { try: 1 }],
  ['try', 'tried', ['duplicate', 'duplicate'], { try: 1 }],
  ['try', 'confirmed', ['duplicate', 'duplicate'], { try: 1, confirm: 1 }],
  ['try', 'cancelled', ['duplicate', 'duplicate'], { try: 1, cancel: 1 }],
  ['try', 'empty-rolled-back', ['suspended', 'suspended'], {}],
  ['confirm', 'none', ['refused:BRANCH_NOT_TRIED', 'refused:BRANCH_NOT_TRIED'], {}],
  ['confirm', 'tried', ['applied', 'duplicate'], { try: 1, confirm: 1 }],
  ['confirm', 'confirmed', ['duplicate', 'duplicate'], { try: 1, confirm: 1 }],
  ['confirm', 'cancelled', ['refused:BRANCH_CANCELLED', 'refused:BRANCH_CANCELLED'], { try: 1, cancel: 1 }],
  ['confirm', 'empty-rolled-back', ['refused:BRANCH_CANCELLED', 'refused:BRANCH_CANCELLED'], {}],
  ['cancel', 'none', ['empty-rollback', 'duplicate'], {}],
  ['cancel', 'tried', ['applied', 'duplicate'], { try: 1, cancel: 1 }],
  ['cancel', 'confirmed', ['refused:BRANCH_CONFIRMED', 'refused:BRANCH_CONFIRMED'], { try: 1, confirm: 1 }],
  ['cancel', 'cancelled', ['duplicate', 'duplicate'], { try: 1, cancel: 1 }],
  ['cancel', 'empty-rolled-back', ['duplicate', 'duplicate'], {}],
];

describe('runTccBranch state matrix', () => {
  it.each(matrix)('%s after %s, delivered twice in a row', async (op, prior, expected, after) => {
    const gid = await prepare(prior);
    const first = await deliver(op, gid);
    const second = await deliver(op, gid);
    expect([first, second]).toEqual(expected);
    expect(await effects(gid)).toEqual(after);
  });

  it.each(matrix)('%s after %s, delivered twice at once', async (op, prior, expected, after) => {
    const gid = await prepare(prior);
    // The handler holds its transaction open so the second delivery really waits on the first.
    const both = await Promise.all([deliver(op, gid, 50), deliver(op, gid, 50)]);
    expect(both.sort()).toEqual([...expected].sort());
    expect(await effects(gid)).toEqual(after);
  });
});

describe('runTccBranch cross-phase races', () => {
  it('Try racing Cancel: either both apply, or the Cancel is an empty rollback and the Try is suspended', async () => {
    for (let i = 0; i < 20; i++) {
      const gid = uniqueId('g');
      const [t, c] = await Promise.all([deliver('try', gid, 20), deliver('cancel', gid, 20)]);
      const fx = await effects(gid);
      if (t === 'applied') {
        expect(c).toBe('applied');
        expect(fx).toEqual({ try: 1, cancel: 1 });
      } else {
        expect([t, c]).toEqual(['suspended', 'empty-rollback']);
        expect(fx).toEqual({});
      }
      // A late redelivery of both never changes anything.
      await Promise.all([deliver('try', gid), deliver('cancel', gid)]);
      expect(await effects(gid)).toEqual(fx);
    }
  });

  it('Confirm racing Cancel after a Try: exactly one of them takes effect', async () => {
    for (let i = 0; i < 20; i++) {
      const gid = uniqueId('g');
      await deliver('try', gid);
      const [f, c] = await Promise.all([deliver('confirm', gid, 20), deliver('cancel', gid, 20)]);
      const fx = await effects(gid);
      if (f === 'applied') {
        expect(c).toBe('refused:BRANCH_CONFIRMED');
        expect(fx).toEqual({ try: 1, confirm: 1 });
      } else {
        expect([f, c]).toEqual(['refused:BRANCH_CANCELLED', 'applied']);
        expect(fx).toEqual({ try: 1, cancel: 1 });
      }
    }
  });

  it('a handler that throws rolls the barrier row back, so a redelivery applies', async () => {
    const gid = uniqueId('g');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await expect(
        runTccBranch(client, { gid, branchId: 'b1', op: 'try' }, async () => {
          throw new Error('business failure');
        }),
      ).rejects.toThrow('business failure');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await deliver('try', gid)).toBe('applied');
  });

  /** One phase in its own transaction whose handler answers `TRY_REFUSED` (the participant refused the Try). */
  function deliverRefused(op: TccOp, gid: string): Promise<Status> {
    return inOwnTx(async (client) => statusOf(await runTccBranch(client, { gid, branchId: 'b1', op }, async () => TRY_REFUSED)));
  }

  it('a Confirm whose handler finds the Try refused leaves no Confirm row: refused every time, and a Cancel still applies', async () => {
    const gid = uniqueId('g');
    expect(await deliver('try', gid)).toBe('applied');
    expect(await deliverRefused('confirm', gid)).toBe('refused:BRANCH_REJECTED');
    expect(await deliverRefused('confirm', gid)).toBe('refused:BRANCH_REJECTED');
    const { rows } = await pool.query('SELECT op FROM tcc_barrier WHERE gid = $1 ORDER BY op', [gid]);
    expect(rows.map((r: { op: string }) => r.op)).toEqual(['try']);
    expect(await deliver('cancel', gid)).toBe('applied');
    expect(await deliver('confirm', gid)).toBe('refused:BRANCH_CANCELLED');
    expect(await effects(gid)).toEqual({ try: 1, cancel: 1 });
  });

  it('only a Confirm handler may answer TRY_REFUSED: from a Try or a Cancel it is a bug, and nothing is recorded', async () => {
    const gid = uniqueId('g');
    await expect(deliverRefused('try', gid)).rejects.toThrow(/only a Confirm handler/);
    expect(await deliver('try', gid)).toBe('applied');
    await expect(deliverRefused('cancel', gid)).rejects.toThrow(/only a Confirm handler/);
    expect(await deliver('cancel', gid)).toBe('applied');
  });

  /** `claimConfirms` of `gids` (branch b1 each) in its own transaction; a claimed one records its effect. */
  function claimAll(gids: string[]): Promise<Status[]> {
    return inOwnTx(async (client) => {
      const claims = await claimConfirms(client, gids.map((gid) => ({ gid, branchId: 'b1' })));
      for (const [i, c] of claims.entries()) if (c.status === 'claimed') await client.query('INSERT INTO effects VALUES ($1, $2, $3)', [gids[i], 'b1', 'confirm']);
      return claims.map((c) => (c.status === 'claimed' ? 'applied' : statusOf(c)));
    });
  }

  it('claimConfirms decides each Confirm of a run as runTccBranch would, a branch named twice claimed once', async () => {
    const priors: Prior[] = ['none', 'tried', 'confirmed', 'cancelled', 'empty-rolled-back'];
    const gids = await Promise.all(priors.map(prepare));
    const expected = priors.map((prior) => matrix.find(([op, p]) => op === 'confirm' && p === prior)!);
    expect(await claimAll([...gids, gids[1]])).toEqual([...expected.map(([, , [first]]) => first), 'duplicate']);
    expect(await claimAll(gids)).toEqual(expected.map(([, , [, second]]) => second));
    for (const [i, gid] of gids.entries()) expect(await effects(gid)).toEqual(expected[i][3]);
  });

  it('claimConfirms racing runTccBranch and another run for the same branches: each Confirm applied once', async () => {
    const gids = await Promise.all(Array.from({ length: 8 }, () => prepare('tried')));
    const [one, other, single] = await Promise.all([claimAll(gids), claimAll([...gids].reverse()), deliver('confirm', gids[3])]);
    const applied = gids.map((gid, i) => [one[i], other[gids.length - 1 - i], gid === gids[3] ? single : 'duplicate'].filter((s) => s === 'applied').length);
    expect(applied).toEqual(Array(8).fill(1));
    for (const gid of gids) expect(await effects(gid)).toEqual({ try: 1, confirm: 1 });
  });

  it('branchesWithTry reports the branches whose Try the barrier holds: applied or tombstoned, not a Confirm alone', async () => {
    const tried = uniqueId('g');
    const tombstoned = uniqueId('g');
    const confirmOnly = uniqueId('g');
    const unknown = uniqueId('g');
    expect(await deliver('try', tried)).toBe('applied');
    expect(await deliver('cancel', tombstoned)).toBe('empty-rollback');
    expect(await deliver('confirm', confirmOnly)).toBe('refused:BRANCH_NOT_TRIED');
    const ask = [tried, tombstoned, confirmOnly, unknown].map((gid) => ({ gid, branchId: 'b1' }));
    const known = await branchesWithTry(pool, [...ask, { gid: tried, branchId: 'b2' }]);
    expect([...known].sort()).toEqual([branchKey({ gid: tried, branchId: 'b1' }), branchKey({ gid: tombstoned, branchId: 'b1' })].sort());
    expect(await branchesWithTry(pool, [])).toEqual(new Set());
  });
});
