// Public API of @omni/sql: the one SQL executor interface, row helpers, Postgres error mapping and transaction helpers.
export * from './sql-executor';
export * from './query-rows';
export * from './pg-errors';
export * from './transaction';
