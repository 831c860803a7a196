/** Injection token of the validated config object (an instance of the service's env class). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** Injection token of the service definition given to PlatformModule.forRoot. */
export const SERVICE_DEFINITION = Symbol('SERVICE_DEFINITION');
/** Injection token of the shared ioredis client (keys are prefixed with REDIS_KEY_PREFIX). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
