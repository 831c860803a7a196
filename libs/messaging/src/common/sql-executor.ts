/**
 * Anything that runs SQL inside the caller's transaction: a TypeORM EntityManager and a pg
 * Client/PoolClient both fit, so the core never depends on an ORM.
 */
export interface SqlExecutor {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- drivers return untyped rows
  query(sql: string, params?: unknown[]): Promise<any>;
}
