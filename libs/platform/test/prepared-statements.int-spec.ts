import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@omni/testing';
import { Pool, type PoolClient } from 'pg';
import { CountingClient, MAX_PREPARED_PER_CONNECTION, PreparedStatementClient, preparedNameOf, sqlStatementsSent } from '../src/database/prepared-statement.client';
import { MetricsService } from '../src/metrics/metrics.service';

jest.setTimeout(60_000);

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('prepared');
});

afterAll(async () => {
  await db.drop();
});

// A new pool of one connection per test: a fresh session, whose pg_prepared_statements lists
// exactly what the test's statements prepared.
beforeEach(async () => {
  pool = new Pool({ connectionString: db.url, max: 1, Client: PreparedStatementClient });
  pool.on('error', () => undefined);
  await pool.query('DROP TABLE IF EXISTS t');
  await pool.query('CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)');
  await pool.query(`INSERT INTO t VALUES (1, 'one'), (2, 'two')`);
});

afterEach(async () => {
  await pool.end();
});

async function preparedStatements(): Promise<string[]> {
  const { rows } = await pool.query('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time');
  return rows.map((r: { statement: string }) => r.statement);
}

it('prepares a statement with parameters once per connection and reuses it', async () => {
  const text = 'SELECT $1::int + 1 AS n';
  const answers = [];
  for (const n of [1, 2, 3]) answers.push((await pool.query(text, [n])).rows[0].n);
  expect(answers).toEqual([2, 3, 4]);
  expect(await preparedStatements()).toEqual([text]);
  const { rows } = await pool.query('SELECT name FROM pg_prepared_statements');
  expect(rows.map((r: { name: string }) => r.name)).toEqual([preparedNameOf(text)]);
});

it('leaves statements without parameters, and statements whose columns are *, unprepared', async () => {
  await pool.query('SELECT 1');
  expect((await pool.query('SELECT * FROM t WHERE id = $1', [1])).rows).toEqual([{ id: 1, v: 'one' }]);
  expect((await pool.query('SELECT t.*, 7 AS k FROM t WHERE id = $1', [2])).rows).toEqual([{ id: 2, v: 'two', k: 7 }]);
  await pool.query('WITH u AS (UPDATE t SET v = $2 WHERE id = $1 RETURNING *) SELECT * FROM u', [1, 'uno']);
  await pool.query('UPDATE t SET v = $2 WHERE id = $1 RETURNING *', [2, 'dos']);
  expect(await preparedStatements()).toEqual([]);
  // A function's columns are fixed, so `SELECT * FROM unnest(...)` and count(*) are prepared.
  const insert = 'INSERT INTO t (id, v) SELECT * FROM unnest($1::int[], $2::text[])';
  const count = 'SELECT count(*)::int AS n FROM t WHERE id > $1';
  await pool.query(insert, [[3], ['three']]);
  expect((await pool.query(count, [0])).rows).toEqual([{ n: 3 }]);
  expect(await preparedStatements()).toEqual([insert, count]);
});

it('keeps answering after a migration adds a column: named columns stay prepared, * sees the new one', async () => {
  const named = 'SELECT id, v FROM t WHERE id = $1';
  const star = 'SELECT * FROM t WHERE id = $1';
  await pool.query(named, [1]);
  await pool.query(star, [1]);
  await pool.query(`ALTER TABLE t ADD COLUMN w text NOT NULL DEFAULT 'new'`);
  expect((await pool.query(named, [1])).rows).toEqual([{ id: 1, v: 'one' }]);
  expect((await pool.query(star, [1])).rows).toEqual([{ id: 1, v: 'one', w: 'new' }]);
});

it('shows why * stays unprepared: such a prepared statement fails once a column is added', async () => {
  const client: PoolClient = await pool.connect();
  try {
    const starQuery = { name: 'star_by_hand', text: 'SELECT * FROM t WHERE id = $1', values: [1] };
    await client.query(starQuery);
    await client.query('ALTER TABLE t ADD COLUMN w text');
    await expect(client.query(starQuery)).rejects.toThrow('cached plan must not change result type');
  } finally {
    client.release();
  }
});

it('prepares at most MAX_PREPARED_PER_CONNECTION statements on a connection; the rest still answer', async () => {
  const extra = 10;
  for (let k = 0; k < MAX_PREPARED_PER_CONNECTION + extra; k++) {
    const { rows } = await pool.query(`SELECT $1::int + ${k} AS n`, [1]);
    expect(rows[0].n).toBe(1 + k);
  }
  expect(await preparedStatements()).toHaveLength(MAX_PREPARED_PER_CONNECTION);
  // The ones already prepared are still used; the others keep running unprepared.
  expect((await pool.query('SELECT $1::int + 0 AS n', [5])).rows[0].n).toBe(5);
  expect((await pool.query(`SELECT $1::int + ${MAX_PREPARED_PER_CONNECTION + 1} AS n`, [0])).rows[0].n).toBe(MAX_PREPARED_PER_CONNECTION + 1);
  expect(await preparedStatements()).toHaveLength(MAX_PREPARED_PER_CONNECTION);
});

it('a statement whose preparation failed is prepared again once it can be', async () => {
  const text = 'SELECT v FROM later WHERE id = $1';
  await expect(pool.query(text, [1])).rejects.toThrow('relation "later" does not exist');
  await pool.query(`CREATE TABLE IF NOT EXISTS later (id int PRIMARY KEY, v text)`);
  await pool.query(`INSERT INTO later VALUES (1, 'here')`);
  expect((await pool.query(text, [1])).rows).toEqual([{ v: 'here' }]);
  expect(await preparedStatements()).toEqual([text]);
});

it('counts every statement either client sends, and reports the count as db_statements_total', async () => {
  const metrics = new MetricsService('svc');
  const scraped = async () => Number(/^db_statements_total\{service="svc"\} (\d+)$/m.exec((await metrics.scrape()).body)?.[1]);
  const firstScrape = await scraped();
  const before = sqlStatementsSent();
  await pool.query('SELECT $1::int AS n', [1]);
  await pool.query('SELECT 1');
  const plain = new Pool({ connectionString: db.url, max: 1, Client: CountingClient });
  try {
    const client = await plain.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT $1::int AS n', [2]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  } finally {
    await plain.end();
  }
  expect(sqlStatementsSent() - before).toBe(5);
  expect((await scraped()) - firstScrape).toBe(5);
});

it('with DB_STATEMENT_TALLY_DIR, writes how often each statement text was sent when the process exits', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-'));
  try {
    const script = `
      const { Pool } = require('pg');
      const { PreparedStatementClient } = require('./libs/platform/src/database/prepared-statement.client');
      const pool = new Pool({ connectionString: process.env.DB_URL, max: 1, Client: PreparedStatementClient });
      (async () => {
        for (let i = 0; i < 3; i++) await pool.query('SELECT $1::int   AS n', [i]);
        await pool.query('SELECT 1');
        await pool.end();
      })();`;
    const child = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
      cwd: join(__dirname, '..', '..', '..'),
      env: { ...process.env, DB_URL: db.url, DB_STATEMENT_TALLY_DIR: dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const files = readdirSync(dir);
    expect(files).toEqual([`process-${child.pid}.json`]);
    // Whitespace folded; most sent first.
    expect(JSON.parse(readFileSync(join(dir, files[0]), 'utf8'))).toEqual({ 'SELECT $1::int AS n': 3, 'SELECT 1': 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
