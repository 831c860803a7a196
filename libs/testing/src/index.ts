export * from './infra-env';
export * from './unique';
export * from './test-database';
export * from './wait-for';
export * from './tcp-proxy';
export * from './pgbench';
export * from './kafka-broker';
export * from './service-process';
