export * from './service-env';
export * from './load-config';
