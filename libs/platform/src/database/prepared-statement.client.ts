import { createHash } from 'node:crypto';
import { CountingClient } from '@omni/sql';

export { CountingClient, sqlStatementsSent } from '@omni/sql';

/** Distinct statements one connection prepares at most; later ones run unprepared. */
export const MAX_PREPARED_PER_CONNECTION = 256;

// Result columns of `*` over a table or a CTE (`SELECT * FROM t`, `t.*`, `RETURNING *`). Not
// `count(*)`, arithmetic, or `SELECT * FROM unnest(...)`: a function's columns are fixed.
const STAR_COLUMNS = /(?:^|[\s,])(?:"?\w+"?\.)?\*(?=\s*(?:,|\)|$|\bFROM\b(?!\s+\w+\s*\()))|\bRETURNING\s+\*/i;

// Statement text → its name, or null when it is never prepared. Bounded: a process whose SQL
// texts keep changing stops remembering new ones (they are still prepared, at the cost of a hash).
const names = new Map<string, string | null>();
const MAX_REMEMBERED = 4096;

/** The prepared-statement name of `text`, or null when it must not be prepared (see PreparedStatementClient). */
export function preparedNameOf(text: string): string | null {
  const known = names.get(text);
  if (known !== undefined) return known;
  const name = STAR_COLUMNS.test(text) ? null : `omni_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  if (names.size < MAX_REMEMBERED) names.set(text, name);
  return name;
}

/**
 * The pg client of every service's pool (TypeORM's and the raw pool built on it): each statement
 * with parameters runs as a named prepared statement of its connection, so Postgres parses and
 * plans it once per connection instead of on every call (after five custom plans Postgres keeps
 * a generic one unless it is estimated dearer). In the order saga, planning was a third of
 * Postgres' time.
 *
 * Left as they were:
 * - statements without parameters (DDL, BEGIN/COMMIT, migrations): the simple protocol;
 * - statements whose result columns are `*`: once a migration adds a column (a newer replica
 *   starting during a rolling update), a prepared one fails with "cached plan must not change
 *   result type" on every connection that holds it;
 * - new statements on a connection that already holds MAX_PREPARED_PER_CONNECTION, so SQL built
 *   with varying shapes cannot grow the server's memory without bound.
 *
 * Turn it off (DB_PREPARED_STATEMENTS=false) behind a pooler that hands a session's statements to
 * other sessions (PgBouncer in transaction mode before 1.21).
 */
export class PreparedStatementClient extends CountingClient {
  private readonly prepared = new Set<string>();

  // pg's query() has a dozen overloads; the arguments pass through unchanged except the text.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const [text, values] = args as [unknown, unknown];
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      const name = preparedNameOf(text);
      if (name && (this.prepared.has(name) || this.prepared.size < MAX_PREPARED_PER_CONNECTION)) {
        this.prepared.add(name);
        args[0] = { name, text };
      }
    }
    return super.query(...args);
  }
}
