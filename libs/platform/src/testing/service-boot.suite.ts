import type { Type } from '@nestjs/common';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, type TestDatabase } from '@omni/testing';
import { DataSource } from 'typeorm';
import { probeService } from './probe-service';
import { expectEdgeFaultsRefusedOnEveryRoute } from './edge-sweep';
import { expectPoisonDeadLetteredOnEveryTopic } from './poison-sweep';
import { expectServiceAuthOnEveryRoute } from './service-auth.walk';
import { startServiceForTest, type TestService } from './start-service-for-test';

/** What a service's boot suite checks beyond the platform's own behaviour. */
export interface ServiceBootExpectations {
  /** Migration names that must have been applied (the service's own and the platform's). */
  migrations: string[];
  /**
   * Tables whose columns, once migrated, must be exactly these (any order): for statements that
   * name every column of a table instead of `*`, so a migration adding one fails here until the
   * list has it.
   */
  columns?: Record<string, readonly string[]>;
}

/**
 * The boot suite every service runs against the real Postgres, Redis and Kafka: migrations
 * applied, live and ready with every dependency up, metrics labelled with the service, coded
 * errors for unknown routes and oversized bodies, every route of its route table closed to
 * callers without a valid service credential (but health and metrics), every route refusing the
 * malformed inputs of EDGE_FAULTS with a coded 4xx, and every consumed topic's poison events
 * dead-lettered with their reason while consumption goes on. Call it at the top level
 * of a `*.int-spec.ts`.
 */
export function describeServiceBoot(service: string, appModule: Type<unknown>, expectations: ServiceBootExpectations): void {
  describe(`${service} service boot (real Postgres, Redis, Kafka)`, () => {
    let db: TestDatabase;
    let running: TestService;

    beforeAll(async () => {
      db = await createTestDatabase(`${service}_boot`);
      running = await startServiceForTest(appModule, {
        DATABASE_URL: db.url,
        REDIS_URL: testInfra.redisUrl,
        REDIS_KEY_PREFIX: `${uniqueId(service)}:`,
        KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(`${service}-boot`),
        LOG_LEVEL: 'fatal',
      });
    }, 60_000);

    afterAll(async () => {
      await running?.close();
      await db?.drop();
    });

    it('runs its migrations, is live and ready with database, Redis and Kafka up, and exposes metrics', async () => {
      const applied: { name: string }[] = await running.app.get(DataSource).query('SELECT name FROM migrations');
      expect(applied.map((m) => m.name)).toEqual(expect.arrayContaining(expectations.migrations));
      const { live, ready, metrics } = await probeService(running.url);
      expect(live.status).toBe(200);
      expect(ready.status).toBe(200);
      expect(ready.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' }, kafka: { status: 'up' } });
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(new RegExp(`^process_resident_memory_bytes\\{service="${service}"\\} \\d+`, 'm'));
      expect(metrics.text).toContain('http_request_duration_seconds');
    });

    const tables = Object.entries(expectations.columns ?? {});
    if (tables.length > 0) {
      it.each(tables)('names every column of %s where its statements list them', async (table, columns) => {
        const found: { column_name: string }[] = await running.app
          .get(DataSource)
          .query(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, [table]);
        expect(found.map((c) => c.column_name).sort()).toEqual([...columns].sort());
      });
    }

    it('refuses every internal route of its route table without a valid service credential, and keeps health and metrics open', async () => {
      await expectServiceAuthOnEveryRoute(running.app, running.url);
    });

    it('answers every malformed input on every route of its route table with a coded 4xx, and stays healthy', async () => {
      expect(await expectEdgeFaultsRefusedOnEveryRoute(running.app, running.url)).toBeGreaterThan(0);
    });

    it('dead-letters poison events on every topic it consumes, with the reason, and reads past them', async () => {
      expect(await expectPoisonDeadLetteredOnEveryTopic(running.app, running.url)).toBeGreaterThan(0);
    });

    it('answers unknown routes and oversized bodies with coded errors', async () => {
      const unknown = await fetch(`${running.url}/no-such-route`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
      const huge = await fetch(`${running.url}/health/live`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ padding: 'x'.repeat(1_100_000) }),
      });
      expect(huge.status).toBe(413);
      expect(await huge.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    });
  });
}
