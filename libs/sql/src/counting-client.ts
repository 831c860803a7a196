import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

let statementsSent = 0;

/**
 * DB_STATEMENT_TALLY_DIR=<dir> (benches, never production): every statement text this process sends
 * is counted, and the counts are written to `<dir>/<app>-<pid>.json` when the process exits, so a
 * bench can say which statements a saga costs (tools/bench/statement-tally.ts prints them).
 */
const tallyDir = process.env.DB_STATEMENT_TALLY_DIR;
const tally = tallyDir ? new Map<string, number>() : undefined;
if (tallyDir && tally) {
  process.once('exit', () => {
    const app = /[\\/]apps[\\/]([^\\/]+)[\\/]/.exec(process.argv[1] ?? '')?.[1] ?? 'process';
    const counts = Object.fromEntries([...tally].sort((a, b) => b[1] - a[1]));
    writeFileSync(join(tallyDir, `${app}-${process.pid}.json`), `${JSON.stringify(counts, null, 1)}\n`);
  });
}

function tallied(args: unknown[]): void {
  const first = args[0] as string | { text?: string } | undefined;
  const text = typeof first === 'string' ? first : first?.text;
  if (!tally || typeof text !== 'string') return;
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  tally.set(key, (tally.get(key) ?? 0) + statementsIn(args[0], args[1]));
}

/**
 * Statements in a query (a text, or pg's { text, values }) sent without values: one, or for a string of several separated by `;` (the
 * simple-query form, e.g. the outbox relay's `BEGIN; SELECT …`) each of them. (A query with values
 * is always one statement; no text the project sends without values has a `;` inside a literal.)
 */
export function statementsIn(query: unknown, values?: unknown): number {
  if (query !== null && typeof query === 'object' && 'text' in query) return statementsIn(query.text, (query as { values?: unknown }).values ?? values);
  if (values !== undefined || typeof query !== 'string' || !query.includes(';')) return 1;
  return query.split(';').filter((part) => part.trim() !== '').length;
}

/** Statements this process's counting clients (its pools and its outbox relay) have sent to Postgres so far (BEGIN and COMMIT included). */
export function sqlStatementsSent(): number {
  return statementsSent;
}

/**
 * A pg client that counts what it sends (`sqlStatementsSent`, the services' `db_statements_total`
 * metric), nothing else: the client of a service's pool when prepared statements are off, and of
 * the outbox relay's connection.
 */
export class CountingClient extends Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    statementsSent += statementsIn(args[0], args[1]);
    if (tally) tallied(args);
    return (Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
  }
}
