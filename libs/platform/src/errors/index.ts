export * from './domain-error';
export * from './error-response';
export * from './validation';
export * from './http-exception.filter';
