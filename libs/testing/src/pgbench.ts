import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { createTestDatabase } from './test-database';

const run = promisify(execFile);

/** What pgbench runs: its built-in simple-update transaction, or a script on tables a schema file creates. */
export type PgbenchWorkload = { kind: 'simple-update' } | { kind: 'script'; schemaFile: string; scriptFile: string };

/** Settings of a pgbench measurement. */
export interface PgbenchOptions {
  workload: PgbenchWorkload;
  seconds: number;
  /** Client connections (default 8, over 2 threads). */
  clients?: number;
}

/**
 * Transactions (or script runs) per second pgbench measures on a scratch database of the test
 * server, dropped afterwards: the benches' yardstick for what this machine's Postgres does alone.
 * Scripts run with prepared statements, as the services' pools do.
 */
export async function pgbenchTps({ workload, seconds, clients = 8 }: PgbenchOptions): Promise<number> {
  const scratch = await createTestDatabase('pgbench');
  try {
    let args: string[];
    if (workload.kind === 'simple-update') {
      await run('pgbench', ['-i', '-q', scratch.url], { maxBuffer: 1 << 24 });
      args = ['-N'];
    } else {
      const pool = scratch.pool(1);
      await pool.query(await readFile(workload.schemaFile, 'utf8'));
      await pool.end();
      args = ['-n', '-M', 'prepared', '-f', workload.scriptFile];
    }
    const { stdout } = await run('pgbench', [...args, '-c', String(clients), '-j', '2', '-T', String(seconds), scratch.url], { maxBuffer: 1 << 24 });
    const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout) ?? /tps = ([\d.]+)/.exec(stdout);
    if (!match) throw new Error(`cannot read pgbench output: ${stdout}`);
    return Number(match[1]);
  } finally {
    await scratch.drop();
  }
}
