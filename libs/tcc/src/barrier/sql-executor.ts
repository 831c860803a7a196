/**
 * Anything that runs SQL inside the caller's transaction (a TypeORM EntityManager or a pg
 * client): the barrier never opens its own transaction, so it commits with the business change.
 */
export interface SqlExecutor {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- drivers return untyped rows
  query(sql: string, params?: unknown[]): Promise<any>;
}
