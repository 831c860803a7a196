import type { SqlExecutor } from '@omni/messaging';

/** A row as the driver returns it. */
export type SqlRow = Record<string, unknown>;

/**
 * Runs a statement and returns its rows whatever the executor's shape: a TypeORM EntityManager
 * answers UPDATE…RETURNING with [rows, count] and everything else with an array of rows.
 */
export async function queryRows<T = SqlRow>(tx: SqlExecutor, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await tx.query(sql, params);
  if (Array.isArray(result)) {
    if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
    return result as T[];
  }
  if (result && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows)) return (result as { rows: T[] }).rows;
  return [];
}

/** Postgres error code of a driver error, when there is one. */
export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Postgres unique_violation. */
export const PG_UNIQUE_VIOLATION = '23505';
/** Postgres foreign_key_violation. */
export const PG_FOREIGN_KEY_VIOLATION = '23503';
