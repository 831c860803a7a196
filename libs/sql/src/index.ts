// Public API of @omni/sql: the one SQL executor interface, row helpers, Postgres error mapping, transaction helpers and the statement-counting client.
export * from './sql-executor';
export * from './query-rows';
export * from './pg-errors';
export * from './transaction';
export * from './counting-client';
