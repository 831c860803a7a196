/** Anything that runs SQL in the caller's transaction: a TypeORM EntityManager or a pg client. */
export interface SqlRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- drivers return untyped rows
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** A row as the driver returns it. */
export type SqlRow = Record<string, unknown>;

/**
 * Rows of a SELECT/INSERT…RETURNING, whichever driver ran it. TypeORM answers UPDATE/DELETE with
 * [rows, count], so statements that change rows go through a CTE that ends in a SELECT.
 */
export async function sqlRows(tx: SqlRunner, sql: string, params: unknown[] = []): Promise<SqlRow[]> {
  const result: unknown = await tx.query(sql, params);
  if (Array.isArray(result)) return result as SqlRow[];
  if (result && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows)) {
    return (result as { rows: SqlRow[] }).rows;
  }
  return [];
}
