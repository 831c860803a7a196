import { Pool, PoolClient } from 'pg';
import { createTestDatabase, TestDatabase, uniqueId } from '@omni/testing';
import { defineEvent, EventContract } from '@omni/contracts';
import type { SqlExecutor } from '../src/barrier/sql-executor';
import { barrierReply, runTccBranch } from '../src/barrier/tcc-barrier';
import { ManualClock } from '../src/clock/clock';
import { TCC_BARRIER_DDL } from '../src/typeorm/tcc-barrier.migration';
import { TCC_COORDINATOR_DDL } from '../src/coordinator/coordinator.migration';
import type { TccCommand, TccReply } from '../src/coordinator/coordinator.types';
import { defineParticipant, ParticipantRegistry } from '../src/coordinator/participant.registry';
import { TccRecoveryLoop } from '../src/coordinator/recovery.loop';
import { TccCoordinator } from '../src/coordinator/tcc-coordinator';

// The coordinator against real Postgres with a real barrier-protected participant (a stock table):
// commands go through an outbox table, are delivered twice and shuffled, replies too.
jest.setTimeout(120_000);

class StockCommand {
  gid: string;
  branchId: string;
  op: 'try' | 'confirm' | 'cancel';
  deadline: string;
  sku: string;
  quantity: number;
}
const STOCK_COMMAND: EventContract<StockCommand> = defineEvent<StockCommand>({
  topic: 'stock-branch-requested',
  type: 'com.omniretail.test.stock-branch-requested.v1',
  version: 1,
  source: 'test',
  payload: StockCommand,
  key: (p) => p.gid,
  partitions: 1,
  summary: 'test command',
});

let db: TestDatabase;
let pool: Pool;
let clock: ManualClock;
let alerts: string[];
let coordinator: TccCoordinator;

async function inTx<R>(work: (tx: SqlExecutor) => Promise<R>): Promise<R> {
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

function makeCoordinator(giveUpAfter?: number): TccCoordinator {
  const registry = new ParticipantRegistry(
    {
      add: async (tx, _contract, payload) => tx.query('INSERT INTO commands (payload) VALUES ($1)', [JSON.stringify(payload)]),
      // A phase's commands in one statement, as the outbox writes them.
      addAll: async (tx, events) =>
        tx.query('INSERT INTO commands (payload) SELECT p FROM unnest($1::jsonb[]) WITH ORDINALITY AS x(p, n) ORDER BY n', [events.map((e) => JSON.stringify(e.payload))]),
    },
    [
      defineParticipant({
        name: 'stock',
        contract: STOCK_COMMAND,
        toPayload: (c: TccCommand) => ({ gid: c.gid, branchId: c.branchId, op: c.op, deadline: c.deadline, sku: String(c.data.sku), quantity: Number(c.data.quantity) }),
      }),
    ],
  );
  return new TccCoordinator({
    participants: registry,
    clock,
    retry: { initialMs: 1000, maxMs: 8000, alertAfter: 3, giveUpAfter, tryResendMs: 5000 },
    observer: { alert: (gid, op, attempts) => alerts.push(`${gid}:${op}:${attempts}`) },
  });
}

beforeAll(async () => {
  db = await createTestDatabase('tcc_coordinator');
  pool = db.pool(8);
  for (const sql of TCC_COORDINATOR_DDL) await pool.query(sql);
  await pool.query(TCC_BARRIER_DDL);
  await pool.query('CREATE TABLE commands (seq bigserial PRIMARY KEY, payload jsonb NOT NULL, taken boolean NOT NULL DEFAULT false)');
  await pool.query('CREATE TABLE stock (sku text PRIMARY KEY, on_hand int NOT NULL, reserved int NOT NULL CHECK (reserved >= 0 AND reserved <= on_hand))');
  await pool.query('CREATE TABLE rejected (gid text, branch_id text, PRIMARY KEY (gid, branch_id))');
  await pool.query('CREATE TABLE holds (gid text, branch_id text, sku text, quantity int, PRIMARY KEY (gid, branch_id))');
});

beforeEach(() => {
  clock = new ManualClock('2026-03-01T10:00:00Z');
  alerts = [];
  coordinator = makeCoordinator();
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** The participant: one transaction per command, behind the barrier, refusing a late Try. */
async function participant(cmd: StockCommand): Promise<TccReply> {
  return inTx(async (tx) => {
    const ref = { gid: cmd.gid, branchId: cmd.branchId, op: cmd.op };
    if (cmd.op === 'try' && clock.now() > new Date(cmd.deadline)) return { ...ref, outcome: 'failure', reasons: ['DEADLINE_PASSED'] };
    const outcome = await runTccBranch(tx, ref, async () => {
      if (cmd.op === 'try') {
        const { rows } = await tx.query('UPDATE stock SET reserved = reserved + $2 WHERE sku = $1 AND on_hand - reserved >= $2 RETURNING sku', [cmd.sku, cmd.quantity]);
        if (rows.length === 0) {
          await tx.query('INSERT INTO rejected VALUES ($1, $2)', [cmd.gid, cmd.branchId]);
          return false;
        }
        await tx.query('INSERT INTO holds VALUES ($1, $2, $3, $4)', [cmd.gid, cmd.branchId, cmd.sku, cmd.quantity]);
        return true;
      }
      const { rows } = await tx.query('DELETE FROM holds WHERE gid = $1 AND branch_id = $2 RETURNING sku, quantity', [cmd.gid, cmd.branchId]);
      for (const h of rows as { sku: string; quantity: number }[]) {
        const onHand = cmd.op === 'confirm' ? h.quantity : 0;
        await tx.query('UPDATE stock SET on_hand = on_hand - $2, reserved = reserved - $3 WHERE sku = $1', [h.sku, onHand, h.quantity]);
      }
      return true;
    });
    if (outcome.status === 'applied' && outcome.value === false) return { ...ref, outcome: 'failure', reasons: ['INSUFFICIENT_STOCK'] };
    // A repeated Try answers what the first one decided (the participant remembers refusals).
    if (outcome.status === 'duplicate' && cmd.op === 'try') {
      const { rows } = await tx.query('SELECT 1 FROM rejected WHERE gid = $1 AND branch_id = $2', [cmd.gid, cmd.branchId]);
      if (rows.length) return { ...ref, outcome: 'failure', reasons: ['INSUFFICIENT_STOCK'] };
    }
    return { ...ref, outcome: barrierReply(outcome), reasons: [] };
  });
}

/** Takes every command written so far (committed outbox rows). */
async function drain(): Promise<StockCommand[]> {
  const { rows } = await pool.query('UPDATE commands SET taken = true WHERE NOT taken RETURNING seq, payload');
  return (rows as { seq: string; payload: StockCommand }[]).sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => r.payload);
}

/** Seeded shuffle, so a failing order can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Delivers every pending command twice in shuffled order, then every reply twice in shuffled order,
 * until quiet; replies one per transaction (onReply), or `batch` per transaction (onReplies, so a
 * run may hold a saga's replies and their duplicates together).
 */
async function pump(seed: number, rounds = 10, batch = 1): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const commands = await drain();
    if (commands.length === 0) return;
    const replies: TccReply[] = [];
    for (const cmd of shuffle([...commands, ...commands], seed + round)) replies.push(await participant(cmd));
    const shuffled = shuffle([...replies, ...replies], seed * 7 + round);
    if (batch === 1) for (const reply of shuffled) await inTx((tx) => coordinator.onReply(tx, reply));
    else for (let i = 0; i < shuffled.length; i += batch) await inTx((tx) => coordinator.onReplies(tx, shuffled.slice(i, i + batch)));
  }
}

async function stock(sku: string): Promise<{ on_hand: number; reserved: number }> {
  const { rows } = await pool.query('SELECT on_hand, reserved FROM stock WHERE sku = $1', [sku]);
  return rows[0];
}

async function status(gid: string): Promise<string> {
  return (await inTx((tx) => coordinator.inspect(tx, gid)))!.global.status;
}

function deadlineIn(ms: number): Date {
  return new Date(clock.now().getTime() + ms);
}

it('persists the global row, branches and Try commands in one transaction: a rollback leaves nothing to send', async () => {
  const gid = uniqueId('g');
  await expect(
    inTx(async (tx) => {
      await coordinator.begin(tx, gid, deadlineIn(60_000), [{ branchId: 'b1', participant: 'stock', data: { sku: 'X', quantity: 1 } }]);
      throw new Error('application failed after begin');
    }),
  ).rejects.toThrow('application failed');
  expect(await inTx((tx) => coordinator.inspect(tx, gid))).toBeNull();
  expect((await drain()).filter((c) => c.gid === gid)).toEqual([]);
});

it.each([1, 7])('confirms and cancels many sagas with every command and reply delivered twice and out of order (replies applied %i per transaction)', async (batch) => {
  const sku = uniqueId('sku');
  await pool.query('INSERT INTO stock VALUES ($1, 20, 0)', [sku]);
  const gids: string[] = [];
  for (let i = 0; i < 16; i++) {
    const gid = uniqueId('g');
    gids.push(gid);
    // 16 sagas × 2 branches × 1 unit + one greedy branch of 5 on every fourth: not all can hold.
    const branches = [
      { branchId: 'a', participant: 'stock', data: { sku, quantity: 1 } },
      { branchId: 'b', participant: 'stock', data: { sku, quantity: i % 4 === 0 ? 5 : 1 } },
    ];
    await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(60_000), branches));
  }
  await pump(11, 10, batch);
  const prepared = [];
  for (const gid of gids) {
    const s = await status(gid);
    expect(['prepared', 'cancelled']).toContain(s);
    if (s === 'prepared') prepared.push(gid);
  }
  expect(prepared.length).toBeGreaterThan(0);
  expect(prepared.length).toBeLessThan(gids.length);
  // Decide: confirm the even ones, cancel the odd ones; decisions are repeated too.
  const confirmed = prepared.filter((_, i) => i % 2 === 0);
  for (const gid of prepared) {
    for (let k = 0; k < 2; k++) {
      await inTx((tx) => (confirmed.includes(gid) ? coordinator.confirm(tx, gid) : coordinator.cancel(tx, gid)));
    }
  }
  await pump(23, 10, batch);
  let deducted = 0;
  for (const gid of gids) {
    const view = (await inTx((tx) => coordinator.inspect(tx, gid)))!;
    const expected = confirmed.includes(gid) ? 'confirmed' : 'cancelled';
    expect(view.global.status).toBe(expected);
    if (expected === 'confirmed') deducted += view.branches.reduce((n, b) => n + Number(b.data.quantity), 0);
  }
  expect(await stock(sku)).toEqual({ on_hand: 20 - deducted, reserved: 0 });
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM holds');
  expect(rows[0].n).toBe(0);
});

it('applies a run of replies for several sagas in one transaction: an unknown saga and a repeat are ignored, the rest applied in order', async () => {
  const [g1, g2] = [uniqueId('g'), uniqueId('g')];
  for (const gid of [g1, g2]) {
    await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(60_000), [{ branchId: 'a', participant: 'stock', data: { sku: 'RUN', quantity: 1 } }, { branchId: 'b', participant: 'stock', data: { sku: 'RUN', quantity: 1 } }]));
  }
  await drain();
  const told: string[] = [];
  const results = await inTx((tx) =>
    coordinator.onReplies(
      tx,
      [
        { gid: g2, branchId: 'a', op: 'try', outcome: 'success' },
        { gid: 'no-such-saga', branchId: 'a', op: 'try', outcome: 'success' },
        { gid: g1, branchId: 'b', op: 'try', outcome: 'success' },
        { gid: g2, branchId: 'b', op: 'try', outcome: 'success' },
        { gid: g2, branchId: 'b', op: 'try', outcome: 'success' },
        { gid: g1, branchId: 'a', op: 'try', outcome: 'failure', reasons: [{ code: 'OUT_OF_STOCK', message: 'none left' }] },
      ],
      (reply, i) => told.push(`${i}:${reply.gid}`),
    ),
  );
  expect(results.map((r) => r.status)).toEqual(['applied', 'ignored', 'applied', 'applied', 'ignored', 'applied']);
  expect(told).toEqual([`0:${g2}`, '1:no-such-saga', `2:${g1}`, `3:${g2}`, `4:${g2}`, `5:${g1}`]);
  // g2: both Tries held, so prepared; g1: one failed, so cancelling, with a Cancel for each branch.
  expect(await status(g2)).toBe('prepared');
  expect(await status(g1)).toBe('cancelling');
  expect((await drain()).filter((c) => c.gid === g1).map((c) => `${c.branchId}:${c.op}`).sort()).toEqual(['a:cancel', 'b:cancel']);
});

it('a run writes the branches its replies move alone together, and stores each as one by one would', async () => {
  const begin = async (n: number) => {
    const gids = Array.from({ length: n }, () => uniqueId('g'));
    for (const gid of gids) {
      await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(60_000), [{ branchId: 'a', participant: 'stock', data: { sku: 'MOVES', quantity: 1 } }, { branchId: 'b', participant: 'stock', data: { sku: 'MOVES', quantity: 1 } }]));
    }
    return gids;
  };
  const [alone, together] = [await begin(5), await begin(5)];
  await drain();
  const first = (gid: string): TccReply => ({ gid, branchId: 'a', op: 'try', outcome: 'success', reasons: [] });
  for (const gid of alone) await inTx((tx) => coordinator.onReply(tx, first(gid)));
  let statements = 0;
  await inTx((tx) => coordinator.onReplies({ query: (text: string, values?: unknown[]) => (statements++, tx.query(text, values)) }, together.map(first)));
  // The sagas locked, then read, then the five moves of a branch alone in one statement.
  expect(statements).toBe(3);
  const stored = async (gids: string[]) =>
    (await pool.query('SELECT branch_id, status, reply, attempts FROM tcc_branch WHERE gid = ANY($1::text[]) ORDER BY gid, branch_id', [gids])).rows;
  expect(await stored(together)).toEqual(await stored(alone));
  expect((await stored(together)).map((r: { status: string }) => r.status)).toEqual(Array(5).fill(['tried', 'trying']).flat());
  // Both replies of a saga in one run: the first one's move goes with the statement that prepares it.
  const both = await begin(3);
  await drain();
  await inTx((tx) => coordinator.onReplies(tx, both.flatMap((gid) => [first(gid), { ...first(gid), branchId: 'b' }])));
  for (const gid of both) expect(await status(gid)).toBe('prepared');
  expect((await stored(both)).map((r: { status: string; attempts: number }) => `${r.status}:${r.attempts}`)).toEqual(Array(6).fill('tried:1'));
});

it('a run that waited for the lock of a saga reads the branches as the holder committed them', async () => {
  const gid = uniqueId('g');
  await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(60_000), [{ branchId: 'a', participant: 'stock', data: { sku: 'WAIT', quantity: 1 } }]));
  await drain();
  await inTx((tx) => coordinator.onReply(tx, { gid, branchId: 'a', op: 'try', outcome: 'success' }));
  // The holder decides (branch a → confirming) but has not committed yet.
  const holder: PoolClient = await pool.connect();
  try {
    await holder.query('BEGIN');
    expect(await coordinator.confirm(holder, gid)).toEqual({ status: 'accepted' });
    const run = inTx((tx) => coordinator.onReplies(tx, [{ gid, branchId: 'a', op: 'confirm', outcome: 'success' }]));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.query('COMMIT');
    // Read before the wait, branch a would still be 'tried' and the Confirm reply ignored.
    expect(await run).toEqual([{ status: 'applied' }]);
  } finally {
    holder.release();
  }
  expect(await status(gid)).toBe('confirmed');
  expect((await drain()).filter((c) => c.gid === gid).map((c) => `${c.branchId}:${c.op}`)).toEqual(['a:confirm']);
});

it('cancels past the deadline; a late Try is suspended and its reply ignored; no branch may register and confirm is refused', async () => {
  const sku = uniqueId('sku');
  await pool.query('INSERT INTO stock VALUES ($1, 5, 0)', [sku]);
  const gid = uniqueId('g');
  await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(30_000), [{ branchId: 'b1', participant: 'stock', data: { sku, quantity: 2 } }]));
  const lateTries = await drain(); // the Try is "in flight" and arrives only after the cancel
  clock.advance(31_000);
  const loop = new TccRecoveryLoop({ coordinator, runInTransaction: inTx, owner: 'r1' });
  expect(await loop.tick()).toBeGreaterThanOrEqual(1);
  expect(await status(gid)).toBe('cancelling');
  expect(await inTx((tx) => coordinator.register(tx, gid, { branchId: 'b2', participant: 'stock', data: { sku, quantity: 1 } }))).toEqual({
    status: 'refused',
    current: 'cancelling',
  });
  expect(await inTx((tx) => coordinator.confirm(tx, gid))).toMatchObject({ status: 'refused', code: 'TCC_ALREADY_CANCELLING' });
  await pump(5); // Cancel first: empty rollback
  expect(await status(gid)).toBe('cancelled');
  clock.set(new Date(clock.now().getTime() - 60_000)); // even a Try inside its deadline is suspended now
  for (const cmd of lateTries) {
    const reply = await participant(cmd);
    expect(reply.outcome).toBe('failure');
    expect(await inTx((tx) => coordinator.onReply(tx, reply))).toMatchObject({ status: 'ignored' });
  }
  expect(await stock(sku)).toEqual({ on_hand: 5, reserved: 0 });
});

it('resends Confirm with capped backoff until it succeeds, alerting after the threshold', async () => {
  const sku = uniqueId('sku');
  await pool.query('INSERT INTO stock VALUES ($1, 5, 0)', [sku]);
  const gid = uniqueId('g');
  await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(600_000), [{ branchId: 'b1', participant: 'stock', data: { sku, quantity: 1 } }]));
  await pump(1);
  await inTx((tx) => coordinator.confirm(tx, gid));
  await drain(); // the participant is down: Confirm commands are lost to it for a while
  const loop = new TccRecoveryLoop({ coordinator, runInTransaction: inTx, owner: 'r1' });
  const gaps: number[] = [];
  for (let i = 0; i < 6; i++) {
    const before = (await inTx((tx) => coordinator.inspect(tx, gid)))!.global.nextAttemptAt.getTime();
    expect(await loop.tick()).toBe(0); // not due yet
    clock.set(new Date(before));
    expect(await loop.tick()).toBe(1);
    const after = (await inTx((tx) => coordinator.inspect(tx, gid)))!.global.nextAttemptAt.getTime();
    gaps.push(after - before);
    expect((await drain()).map((c) => c.op)).toEqual(['confirm']);
  }
  expect(gaps).toEqual([2000, 4000, 8000, 8000, 8000, 8000]);
  expect(alerts.filter((a) => a.startsWith(gid)).length).toBeGreaterThanOrEqual(3);
  expect(await status(gid)).toBe('confirming');
  await inTx((tx) => coordinator.onReply(tx, { gid, branchId: 'b1', op: 'confirm', outcome: 'retry' }));
  expect(await status(gid)).toBe('confirming');
  // The participant is back: the next resend lands.
  clock.advance(10_000);
  await loop.tick();
  await pump(2);
  expect(await status(gid)).toBe('confirmed');
  expect(await stock(sku)).toEqual({ on_hand: 4, reserved: 0 });
});

it('gives up to needs_attention only under an explicit policy', async () => {
  coordinator = makeCoordinator(3);
  const gid = uniqueId('g');
  const sku = uniqueId('sku');
  await pool.query('INSERT INTO stock VALUES ($1, 5, 0)', [sku]);
  await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(600_000), [{ branchId: 'b1', participant: 'stock', data: { sku, quantity: 1 } }]));
  await pump(1);
  await inTx((tx) => coordinator.cancel(tx, gid));
  await drain();
  const loop = new TccRecoveryLoop({ coordinator, runInTransaction: inTx, owner: 'r1' });
  for (let i = 0; i < 3; i++) {
    clock.advance(60_000);
    await loop.tick();
  }
  expect(await status(gid)).toBe('needs_attention');
});

it('lets two replicas lease disjoint sets of due transactions', async () => {
  const gids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const gid = uniqueId('g');
    gids.push(gid);
    await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(600_000), [{ branchId: 'b1', participant: 'stock', data: { sku: 'none', quantity: 1 } }]));
  }
  await drain();
  clock.advance(6_000);
  const now = clock.now();
  const leaseUntil = new Date(now.getTime() + 10_000);
  const [a, b] = await Promise.all([
    inTx((tx) => coordinator.sql.leaseDue(tx, 'r1', now, leaseUntil, 1000)),
    inTx((tx) => coordinator.sql.leaseDue(tx, 'r2', now, leaseUntil, 1000)),
  ]);
  const mine = (ids: string[]): string[] => ids.filter((g) => gids.includes(g));
  expect(mine(a).filter((g) => mine(b).includes(g))).toEqual([]);
  expect(new Set([...mine(a), ...mine(b)])).toEqual(new Set(gids));
  // Leased: nobody else gets them until the lease expires.
  expect(mine(await inTx((tx) => coordinator.sql.leaseDue(tx, 'r3', now, leaseUntil, 1000)))).toEqual([]);
  const later = new Date(leaseUntil.getTime() + 1);
  expect(new Set(mine(await inTx((tx) => coordinator.sql.leaseDue(tx, 'r3', later, new Date(later.getTime() + 10_000), 1000))))).toEqual(new Set(gids));
});

describe('deadlines, the hold window and the participants\' question', () => {
  const branch = (sku: string, quantity = 1) => [{ branchId: 'b1', participant: 'stock', data: { sku, quantity } }];

  it('holds for the whole hold window from the moment every Try held, then cancels for the deadline', async () => {
    const sku = uniqueId('sku');
    await pool.query('INSERT INTO stock VALUES ($1, 5, 0)', [sku]);
    const gid = uniqueId('g');
    await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(30_000), branch(sku), { holdMs: 120_000 }));
    clock.advance(20_000); // the Try was slow: answered 20 s after begin
    await pump(1);
    const prepared = (await inTx((tx) => coordinator.inspect(tx, gid)))!.global;
    expect(prepared.status).toBe('prepared');
    expect(prepared.deadline.toISOString()).toBe(new Date(clock.now().getTime() + 120_000).toISOString());
    const loop = new TccRecoveryLoop({ coordinator, runInTransaction: inTx, owner: 'r1' });
    clock.advance(60_000); // past the Try deadline, well inside the hold
    await loop.tick();
    expect(await status(gid)).toBe('prepared');
    expect(await inTx((tx) => coordinator.confirm(tx, gid))).toEqual({ status: 'accepted' });
    await pump(2);
    expect(await status(gid)).toBe('confirmed');
  });

  it('cancels a saga whose Tries were not all answered by the deadline as not-decided, and a held one as deadline', async () => {
    const sku = uniqueId('sku');
    await pool.query('INSERT INTO stock VALUES ($1, 5, 0)', [sku]);
    const [undecided, unpaid] = [uniqueId('g'), uniqueId('g')];
    await inTx((tx) => coordinator.begin(tx, undecided, deadlineIn(30_000), branch(sku)));
    await drain(); // its Try is lost in an outage
    await inTx((tx) => coordinator.begin(tx, unpaid, deadlineIn(30_000), branch(sku), { holdMs: 10_000 }));
    await pump(1);
    clock.advance(31_000);
    const loop = new TccRecoveryLoop({ coordinator, runInTransaction: inTx, owner: 'r1' });
    await loop.tick();
    const causes = await pool.query('SELECT gid, status, cause FROM tcc_global WHERE gid = ANY($1) ORDER BY gid', [[undecided, unpaid]]);
    expect(Object.fromEntries(causes.rows.map((r: { gid: string; status: string; cause: string }) => [r.gid, `${r.status}/${r.cause}`]))).toEqual({
      [undecided]: 'cancelling/not-decided',
      [unpaid]: 'cancelling/deadline',
    });
  });

  it('answers a participant asking about a held branch: the hold until its deadline, the cancel decision after it (persisted, once), confirming, unknown', async () => {
    const sku = uniqueId('sku');
    await pool.query('INSERT INTO stock VALUES ($1, 5, 0)', [sku]);
    const [held, paid] = [uniqueId('g'), uniqueId('g')];
    for (const gid of [held, paid]) await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(30_000), branch(sku), { holdMs: 60_000 }));
    await pump(1);
    await inTx((tx) => coordinator.confirm(tx, paid)); // its Confirm waits in an outage
    const queued = async (gid: string): Promise<string[]> =>
      (await pool.query('SELECT payload FROM commands WHERE NOT taken AND payload->>$1 = $2 ORDER BY seq', ['gid', gid])).rows.map((r: { payload: StockCommand }) => r.payload.op);
    const deadline = new Date(clock.now().getTime() + 60_000).toISOString();
    expect(await inTx((tx) => coordinator.resolve(tx, held))).toEqual({ gid: held, status: 'prepared', deadline });
    clock.advance(60_000);
    expect(await inTx((tx) => coordinator.resolve(tx, held))).toEqual({ gid: held, status: 'cancelling', deadline, cause: 'deadline' });
    expect(await queued(held)).toEqual(['cancel']);
    expect(await inTx((tx) => coordinator.resolve(tx, held))).toEqual({ gid: held, status: 'cancelling', deadline, cause: 'deadline' });
    expect(await queued(held)).toEqual(['cancel']);
    // However late it is asked, a confirming saga is never let go.
    clock.advance(3_600_000);
    expect(await inTx((tx) => coordinator.resolve(tx, paid))).toMatchObject({ gid: paid, status: 'confirming' });
    expect(await inTx((tx) => coordinator.resolve(tx, 'never-begun'))).toEqual({ gid: 'never-begun', status: 'unknown' });
    await pump(3);
    expect(await status(held)).toBe('cancelled');
    expect(await status(paid)).toBe('confirmed');
  });

  it('resends nothing while the transport is backlogged, and backs off Try resends exponentially after', async () => {
    let backlogged = true;
    coordinator = new TccCoordinator({
      participants: new ParticipantRegistry({ add: async (tx, _c, payload) => tx.query('INSERT INTO commands (payload) VALUES ($1)', [JSON.stringify(payload)]) }, [
        defineParticipant({ name: 'stock', contract: STOCK_COMMAND, toPayload: (c: TccCommand) => ({ gid: c.gid, branchId: c.branchId, op: c.op, deadline: c.deadline, sku: 'none', quantity: 1 }) }),
      ]),
      clock,
      retry: { initialMs: 1000, maxMs: 60_000, alertAfter: 3, tryResendMs: 5000 },
      transport: { isBacklogged: async () => backlogged },
    });
    const gid = uniqueId('g');
    await inTx((tx) => coordinator.begin(tx, gid, deadlineIn(600_000), branch('none')));
    await drain();
    const loop = new TccRecoveryLoop({ coordinator, runInTransaction: inTx, owner: 'r1' });
    const visit = async (): Promise<{ sent: number; gap: number }> => {
      const before = (await inTx((tx) => coordinator.inspect(tx, gid)))!.global.nextAttemptAt.getTime();
      clock.set(new Date(before));
      await loop.tick();
      const after = (await inTx((tx) => coordinator.inspect(tx, gid)))!.global.nextAttemptAt.getTime();
      return { sent: (await drain()).filter((c) => c.gid === gid).length, gap: after - before };
    };
    // Three visits during an outage: nothing sent, the schedule does not grow.
    expect([await visit(), await visit(), await visit()]).toEqual([
      { sent: 0, gap: 5000 },
      { sent: 0, gap: 5000 },
      { sent: 0, gap: 5000 },
    ]);
    backlogged = false;
    expect([await visit(), await visit(), await visit(), await visit()]).toEqual([
      { sent: 1, gap: 10_000 },
      { sent: 1, gap: 20_000 },
      { sent: 1, gap: 40_000 },
      { sent: 1, gap: 60_000 },
    ]);
  });
});
