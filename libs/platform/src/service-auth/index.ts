export * from './service-token';
export * from './service-credentials';
export * from './public-route.decorator';
export * from './service-auth.guard';
