/**
 * Anything that runs SQL inside the caller's transaction: a TypeORM EntityManager and a pg
 * Client/PoolClient both fit, so code that takes one never depends on an ORM and never opens its
 * own transaction (its writes commit with the caller's).
 */
export interface SqlExecutor {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- drivers return untyped rows
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** A row as the driver returns it. */
export type SqlRow = Record<string, unknown>;
