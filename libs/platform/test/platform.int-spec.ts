import { gzipSync } from 'node:zlib';
import { serviceAuthHeaders } from '../src/testing/service-auth-headers';
import { Body, Controller, Get, Inject, Module, Param, Post } from '@nestjs/common';
import { createTestDatabase, TcpProxy, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { IsInt, IsString, Length, Min } from 'class-validator';
import Redis from 'ioredis';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import {
  DomainError,
  DomainErrorType,
  PlatformModule,
  probeService,
  REDIS_CLIENT,
  SERVICE_CONFIG,
  ServiceEnv,
  startServiceForTest,
  type TestService,
} from '../src';

jest.setTimeout(60_000);

// The probe is an internal service like every other: its routes need the service credential
// (service-auth.walk covers refusals); these tests are about what happens once a caller is let in.
const fetch = (url: string, init: RequestInit = {}): Promise<Response> =>
  globalThis.fetch(url, { ...init, headers: { ...serviceAuthHeaders('platform-probe'), ...(init.headers as Record<string, string> | undefined) } });

class CreateThingDto {
  @IsString()
  @Length(1, 20)
  name: string;

  @IsInt()
  @Min(1)
  quantity: number;
}

@Controller('things')
class ThingsController {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly dataSource: DataSource,
  ) {}

  @Get('hold/:ms')
  async hold(@Param('ms') ms: string): Promise<{ held: number }> {
    await this.dataSource.query('SELECT pg_sleep($1::float / 1000)', [Number(ms)]);
    return { held: Number(ms) };
  }

  @Get('count')
  async count(): Promise<{ count: number }> {
    const [row] = (await this.dataSource.query('SELECT count(*)::int AS count FROM platform_probe')) as Array<{ count: number }>;
    return row;
  }

  @Post()
  create(@Body() dto: CreateThingDto): { name: string; quantity: number; quantityType: string } {
    return { name: dto.name, quantity: dto.quantity, quantityType: typeof dto.quantity };
  }

  @Get('missing')
  missing(): never {
    throw new DomainError(DomainErrorType.NotFound, 'THING_NOT_FOUND', 'No thing with that id');
  }

  @Get('boom')
  boom(): never {
    throw new Error('connection string postgres://secret leaked');
  }

  @Post('remember')
  async remember(): Promise<{ ok: true }> {
    await this.redis.set('remembered', 'yes');
    return { ok: true };
  }
}

class CreateProbeTable1700000000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE platform_probe (id int PRIMARY KEY)');
    await queryRunner.query('CREATE TABLE platform_dedup (id text PRIMARY KEY, seen_at timestamptz NOT NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE platform_dedup');
    await queryRunner.query('DROP TABLE platform_probe');
  }
}

@Module({
  imports: [
    PlatformModule.forRoot({
      name: 'platform-probe',
      defaultPort: 0,
      entities: [],
      migrations: [CreateProbeTable1700000000001],
      dedupTables: [{ name: 'probe-dedup', table: 'platform_dedup', column: 'seen_at' }],
    }),
  ],
  controllers: [ThingsController],
})
class ProbeAppModule {}

describe('PlatformModule in a running app', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let service: TestService;
  let redis: Redis;
  const redisPrefix = `${uniqueId('platform')}:`;

  beforeAll(async () => {
    db = await createTestDatabase('platform');
    const target = new URL(db.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    target.host = `127.0.0.1:${port}`;
    service = await startServiceForTest(ProbeAppModule, {
      DATABASE_URL: target.toString(),
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: redisPrefix,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('platform'),
      LOG_LEVEL: 'fatal',
      DB_POOL_SIZE: '3',
      DEDUP_RETENTION_MS: '3600000',
      RETENTION_SWEEP_INTERVAL_MS: '200',
    });
    redis = new Redis(testInfra.redisUrl);
  });

  afterAll(async () => {
    await service?.close();
    await redis?.quit();
    await proxy?.stop();
    await db?.drop();
  });

  it('is live, ready with database, Redis and Kafka up, and has run its migrations', async () => {
    const probe = await probeService(service.url);
    expect(probe.live.status).toBe(200);
    expect(probe.ready.status).toBe(200);
    expect(probe.ready.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' }, kafka: { status: 'up' } });
    const [tables] = await service.app
      .get(DataSource)
      .query(`SELECT to_regclass('platform_probe') AS probe, to_regclass('messaging_outbox') AS outbox, to_regclass('messaging_inbox') AS inbox`);
    expect(tables).toEqual({ probe: 'platform_probe', outbox: 'messaging_outbox', inbox: 'messaging_inbox' });
  });

  it('deletes inbox rows and the dedupe tables of its definition once they are older than DEDUP_RETENTION_MS', async () => {
    const dataSource = service.app.get(DataSource);
    await dataSource.query(
      `INSERT INTO messaging_inbox (consumer_group, event_id, topic, received_at) VALUES
         ('probe', 'old-event', 'stock-changed', now() - interval '2 hours'), ('probe', 'new-event', 'stock-changed', now() - interval '50 minutes')`,
    );
    await dataSource.query(`INSERT INTO platform_dedup VALUES ('old-branch', now() - interval '61 minutes'), ('new-branch', now())`);
    const left = async () => ({
      inbox: (await dataSource.query(`SELECT event_id FROM messaging_inbox WHERE consumer_group = 'probe' ORDER BY 1`)).map((r: { event_id: string }) => r.event_id),
      dedup: (await dataSource.query(`SELECT id FROM platform_dedup ORDER BY 1`)).map((r: { id: string }) => r.id),
    });
    await waitFor(
      async () => {
        const now = await left();
        return now.inbox.length === 1 && now.dedup.length === 1;
      },
      { timeoutMs: 10_000, what: 'the retention sweep' },
    );
    expect(await left()).toEqual({ inbox: ['new-event'], dedup: ['new-branch'] });
  });

  it('exposes the typed config it was started with', () => {
    const config = service.app.get<ServiceEnv>(SERVICE_CONFIG);
    expect(config).toBeInstanceOf(ServiceEnv);
    expect(config.REDIS_KEY_PREFIX).toBe(redisPrefix);
    expect(service.app.get(ServiceEnv)).toBe(config);
  });

  it('prefixes every Redis key with REDIS_KEY_PREFIX', async () => {
    const res = await fetch(`${service.url}/things/remember`, { method: 'POST' });
    expect(res.status).toBe(201);
    expect(await redis.get(`${redisPrefix}remembered`)).toBe('yes');
    await redis.del(`${redisPrefix}remembered`);
  });

  it('answers invalid input with 400 VALIDATION_FAILED naming each field', async () => {
    const res = await fetch(`${service.url}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '', quantity: 'two', colour: 'red' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string; details: { field: string; reason: string }[] };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details.map((d) => d.field).sort()).toEqual(['colour', 'name', 'quantity', 'quantity']);
    expect(body.details.find((d) => d.field === 'colour')?.reason).toMatch(/should not exist/);
  });

  it('passes valid input through, transformed into the DTO', async () => {
    const res = await fetch(`${service.url}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'shelf', quantity: 3 }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ name: 'shelf', quantity: 3, quantityType: 'number' });
  });

  it('maps a DomainError to its status and code, and hides unexpected errors behind 500 INTERNAL_ERROR', async () => {
    const missing = await fetch(`${service.url}/things/missing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 'THING_NOT_FOUND', message: 'No thing with that id' });
    const boom = await fetch(`${service.url}/things/boom`);
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(JSON.parse(text)).toEqual({ code: 'INTERNAL_ERROR', message: 'Internal server error' });
    expect(text).not.toContain('secret');
  });

  it('maps unknown routes, malformed JSON and oversized bodies to coded errors', async () => {
    const unknown = await fetch(`${service.url}/nowhere`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('NOT_FOUND');
    const malformed = await fetch(`${service.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('MALFORMED_BODY');
    const huge = await fetch(`${service.url}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', quantity: 1, padding: 'x'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses bodies nested deeper than the limit and prototype keys before any route sees them', async () => {
    const post = (body: string) => fetch(`${service.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    // Thousands of levels would overflow the stack of the recursive DTO transformation: a 500 without the guard.
    const deep = await post(`{"name":"x","quantity":1,"tags":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ code: 'BODY_TOO_DEEP', details: [{ field: expect.stringMatching(/^tags\.0\.0/) }] });
    const proto = await post('{"name":"x","quantity":1,"meta":{"__proto__":{"admin":true}}}');
    expect(proto.status).toBe(400);
    expect(await proto.json()).toMatchObject({ code: 'PROTOTYPE_KEY', details: [{ field: 'meta.__proto__' }] });
  });

  it('answers a body whose bytes do not match its Content-Encoding with 400, and a NUL character with 400 naming the field', async () => {
    const body = JSON.stringify({ name: 'x', quantity: 1 });
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await fetch(`${service.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body });
      expect({ encoding, status: res.status, code: ((await res.json()) as { code: string }).code }).toEqual({ encoding, status: 400, code: 'MALFORMED_BODY' });
    }
    const gzipped = await fetch(`${service.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(body) });
    expect(gzipped.status).toBe(201);
    const unsupported = await fetch(`${service.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'x-pack' }, body });
    expect(unsupported.status).toBe(415);
    const nul = await fetch(`${service.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'a\u0000b', quantity: 1 }) });
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ code: 'NUL_CHARACTER', details: [{ field: 'name' }] });
    const nulQuery = await fetch(`${service.url}/things/count?q=a%00b`);
    expect(nulQuery.status).toBe(400);
    expect(await nulQuery.json()).toMatchObject({ code: 'NUL_CHARACTER', details: [{ field: 'q' }] });
  });

  it('answers 503 DATABASE_BUSY with Retry-After, not a 500, while every pooled connection stays busy', async () => {
    // DB_POOL_SIZE=3: three requests hold every connection longer than the 3 s acquire timeout.
    const holds = [1, 2, 3].map(() => fetch(`${service.url}/things/hold/5000`));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const busy = await fetch(`${service.url}/things/count`);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await busy.json()).toEqual({ code: 'DATABASE_BUSY', message: expect.stringContaining('retry') });
    expect((await Promise.all(holds)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await (await fetch(`${service.url}/things/count`)).json()).toEqual({ count: 0 });
  });

  it('answers 503 DATABASE_BUSY, not a 500, when a new database connection does not open within the timeout', async () => {
    // Every pooled connection is cut, and the server takes new ones without ever answering them
    // (as a server too loaded to start backends does): the pool's 3 s connect timeout ends them.
    const pool = (service.app.get(DataSource).driver as unknown as { master: { idleCount: number } }).master;
    proxy.stall();
    try {
      // The pool drops its cut idle connections, so the next query has to open a new one.
      await waitFor(() => pool.idleCount === 0, { timeoutMs: 5_000, what: 'the pool to drop its cut connections' });
      const busy = await fetch(`${service.url}/things/count`);
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(await busy.json()).toEqual({ code: 'DATABASE_BUSY', message: expect.stringContaining('retry') });
    } finally {
      proxy.unblock();
    }
    await waitFor(async () => (await fetch(`${service.url}/things/count`)).status === 200, { timeoutMs: 15_000, what: 'the database again' });
  });

  it('echoes a caller request id and otherwise issues a UUIDv7', async () => {
    const given = await fetch(`${service.url}/health/live`, { headers: { 'x-request-id': 'pos-7.req-42' } });
    expect(given.headers.get('x-request-id')).toBe('pos-7.req-42');
    const issued = await fetch(`${service.url}/health/live`);
    expect(issued.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('records request durations by route, method and status with the service label', async () => {
    await fetch(`${service.url}/things/missing`);
    await fetch(`${service.url}/no/such/${uniqueId()}`);
    const { metrics } = await probeService(service.url);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/process_cpu_user_seconds_total\{service="platform-probe"\}/);
    expect(metrics.text).toMatch(
      /http_request_duration_seconds_count\{service="platform-probe",route="\/things\/missing",method="GET",status_code="404"\} [1-9]/,
    );
    // Unknown paths share one series instead of one per URL.
    expect(metrics.text).toMatch(/http_request_duration_seconds_count\{service="platform-probe",route="unmatched",method="GET",status_code="404"\} [1-9]/);
    expect(metrics.text).not.toContain('/no/such/');
  });

  it('reports not ready, naming the database, while the database is unreachable, and recovers', async () => {
    proxy.block();
    try {
      const started = Date.now();
      const down = await fetch(`${service.url}/health/ready`);
      const elapsed = Date.now() - started;
      expect(down.status).toBe(503);
      const body = (await down.json()) as { error: Record<string, { status: string }>; details: Record<string, { status: string }> };
      expect(Object.keys(body.error)).toEqual(['database']);
      expect(body.details.redis.status).toBe('up');
      expect(body.details.kafka.status).toBe('up');
      // Each check is bounded, so readiness answers instead of hanging on a dead dependency.
      expect(elapsed).toBeLessThan(5_000);
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    } finally {
      proxy.unblock();
    }
    await waitFor(async () => (await fetch(`${service.url}/health/ready`)).status === 200, { timeoutMs: 15_000, what: 'ready again' });
  });
});
