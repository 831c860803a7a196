// Public API of the o2o-connector domain core: pure TypeScript, no Nest, TypeORM, pg or Kafka.
export * from './platform-adapter.port';
export * from './request-signature';
export * from './token-bucket';
export * from './push-coalescer';
export * from './reconciliation';
export * from './id-mapping';
export * from './order-intake.decider';
