import type { SqlExecutor, SqlRow } from './sql-executor';

/**
 * Runs a statement and returns its rows whatever the executor's shape: a TypeORM EntityManager
 * answers SELECT/INSERT…RETURNING with an array and UPDATE/DELETE…RETURNING with [rows, count]; a
 * pg client answers with { rows }.
 */
export async function queryRows<T = SqlRow>(tx: SqlExecutor, sql: string, params: unknown[] = []): Promise<T[]> {
  return rowsOfResult<T>(await tx.query(sql, params));
}

/** The rows of a driver's answer (see queryRows); [] for an answer without rows. */
export function rowsOfResult<T = SqlRow>(result: unknown): T[] {
  if (Array.isArray(result)) {
    // Rows are objects, so an array of rows never looks like TypeORM's [rows, affected].
    if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
    return result as T[];
  }
  if (result && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows)) return (result as { rows: T[] }).rows;
  return [];
}
