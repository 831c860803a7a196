/** Something that runs SQL inside the caller's transaction (a TypeORM EntityManager fits). */
export interface SqlTx {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- drivers return untyped rows
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** Rows of a query: TypeORM's manager returns an array, a pg client `{ rows }`. */
export async function queryRows<T = Record<string, unknown>>(tx: SqlTx, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await tx.query(sql, params);
  if (Array.isArray(result)) {
    // TypeORM returns [rows, affected] for UPDATE/DELETE ... RETURNING.
    if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
    return result as T[];
  }
  if (result && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows)) return (result as { rows: T[] }).rows;
  return [];
}

/** A bigint column (returned by pg as text) as a safe integer. */
export function toInt(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${String(value)}`);
  return n;
}

/** An optional timestamptz column as UTC ISO-8601. */
export function isoOrUndefined(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : new Date(value as string | Date).toISOString();
}
