// Test-only entry (`@omni/platform/testing`): kept out of the main index so a running service
// never loads the test harness.
export * from './start-service-for-test';
export * from './probe-service';
export * from './service-boot.suite';
export * from './service-auth-headers';
export * from './service-auth.walk';
export * from './route-table';
export * from './edge-sweep';
export * from './poison-sweep';
