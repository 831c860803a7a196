export * from './canonical-json';
export * from './idempotency-key';
export * from './idempotency.store';
export * from './idempotency-records.migration';
