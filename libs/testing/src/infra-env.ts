/** Where the integration tests find the local infrastructure; overridable for CI or other hosts. */
export const testInfra = {
  /** Admin connection used to create and drop per-suite databases. */
  postgresAdminUrl: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafkaBrokers: (process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
};

/** The URL of database `name` on the test Postgres server. */
export function databaseUrl(name: string): string {
  const url = new URL(testInfra.postgresAdminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
