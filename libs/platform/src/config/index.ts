export * from './service-env';
export * from './load-config';
export * from './kafka-security';
