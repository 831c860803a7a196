export * from './canonical-json';
export * from './idempotency-key';
export * from './idempotency-record.store';
export * from './idempotency-records.migration';
