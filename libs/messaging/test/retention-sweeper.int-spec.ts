import { createTestDatabase, TestDatabase } from '@omni/testing';
import { Pool } from 'pg';
import { ensureMessagingSchema, INBOX_TABLE } from '../src/common/messaging-schema';
import { silentLogger } from '../src/common/observability';
import { INBOX_RETENTION, RetentionSweeper } from '../src/retention/retention-sweeper';

jest.setTimeout(60_000);

const DAY_MS = 86_400_000;

describe('RetentionSweeper (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('messaging_retention');
    pool = db.pool(6);
    await ensureMessagingSchema(pool);
    await pool.query(`CREATE TABLE barrier (gid text PRIMARY KEY, created_at timestamptz NOT NULL)`);
  });

  afterAll(async () => {
    await db?.drop();
  });

  beforeEach(async () => {
    await pool.query(`TRUNCATE ${INBOX_TABLE}, barrier`);
  });

  /** `count` inbox rows received `ageDays` ago, with ids `<prefix>-<n>`. */
  async function inboxRows(prefix: string, count: number, ageDays: number): Promise<void> {
    await pool.query(
      `INSERT INTO ${INBOX_TABLE} (consumer_group, event_id, topic, received_at)
       SELECT 'orders', $1 || '-' || n, 'stock-changed', now() - make_interval(days => $3) FROM generate_series(1, $2) AS n`,
      [prefix, count, ageDays],
    );
  }

  const ids = async (table: string, column: string) => (await pool.query(`SELECT ${column} AS id FROM ${table} ORDER BY 1`)).rows.map((r: { id: string }) => r.id);

  it('deletes only rows older than the retention, in batches, from every table it is given', async () => {
    await inboxRows('old', 23, 15);
    await inboxRows('young', 4, 13);
    await pool.query(`INSERT INTO barrier VALUES ('g-old', now() - interval '20 days'), ('g-new', now() - interval '1 hour')`);
    const sweeper = new RetentionSweeper({
      executor: pool,
      tables: [INBOX_RETENTION, { name: 'barrier', table: 'barrier', column: 'created_at' }],
      keepMs: 14 * DAY_MS,
      intervalMs: 0,
      batchSize: 5,
      logger: silentLogger,
    });

    expect(await sweeper.sweepOnce()).toEqual({ inbox: 23, barrier: 1 });
    expect(await ids(INBOX_TABLE, 'event_id')).toEqual(['young-1', 'young-2', 'young-3', 'young-4']);
    expect(await ids('barrier', 'gid')).toEqual(['g-new']);
    // Nothing left to delete: a second sweep deletes nothing.
    expect(await sweeper.sweepOnce()).toEqual({ inbox: 0, barrier: 0 });
  });

  it('lets replicas sweep at the same time: every expired row is deleted exactly once', async () => {
    await inboxRows('old', 2000, 30);
    const sweepers = Array.from({ length: 3 }, () => new RetentionSweeper({ executor: pool, tables: [INBOX_RETENTION], keepMs: DAY_MS, intervalMs: 0, batchSize: 100, logger: silentLogger }));
    const results = await Promise.all(sweepers.map((s) => s.sweepOnce()));
    expect(results.reduce((sum, r) => sum + r.inbox, 0)).toBe(2000);
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${INBOX_TABLE}`)).rows[0].n).toBe(0);
  });

  it('skips rows another transaction holds instead of waiting for them, and deletes them on a later sweep', async () => {
    await inboxRows('old', 50, 30);
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ${INBOX_TABLE} WHERE event_id IN (SELECT 'old-' || n FROM generate_series(1, 10) AS n) FOR UPDATE`);
      const sweeper = new RetentionSweeper({ executor: pool, tables: [INBOX_RETENTION], keepMs: DAY_MS, intervalMs: 0, batchSize: 7, logger: silentLogger });
      // A sweep that waited for the held rows would never finish while the holder is open.
      let timer: NodeJS.Timeout | undefined;
      const blocked = new Promise<'blocked'>((resolve) => (timer = setTimeout(() => resolve('blocked'), 5_000)));
      const first = await Promise.race([sweeper.sweepOnce(), blocked]);
      clearTimeout(timer);
      expect(first).toEqual({ inbox: 40 });
      await holder.query('COMMIT');
      expect(await sweeper.sweepOnce()).toEqual({ inbox: 10 });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
    expect(await ids(INBOX_TABLE, 'event_id')).toEqual([]);
  });

  it('sweeps on its interval once started and stops cleanly', async () => {
    await inboxRows('old', 3, 2);
    const sweeper = new RetentionSweeper({ executor: pool, tables: [INBOX_RETENTION], keepMs: DAY_MS, intervalMs: 50, logger: silentLogger });
    sweeper.start();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await ids(INBOX_TABLE, 'event_id')).length > 0) await new Promise((r) => setTimeout(r, 25));
    await sweeper.stop();
    expect(await ids(INBOX_TABLE, 'event_id')).toEqual([]);
  });

  it('refuses table or column names that are not plain identifiers, and a retention that is not positive', () => {
    const make = (table: string, column: string, keepMs = DAY_MS) => () => new RetentionSweeper({ executor: pool, tables: [{ name: 'x', table, column }], keepMs, intervalMs: 0 });
    expect(make('inbox; DROP TABLE barrier', 'received_at')).toThrow('not a plain lower-case SQL identifier');
    expect(make('barrier', 'created_at OR true')).toThrow('not a plain lower-case SQL identifier');
    expect(make('barrier', 'created_at', 0)).toThrow('keepMs must be positive');
  });
});
