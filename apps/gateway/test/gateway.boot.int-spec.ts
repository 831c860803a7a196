import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { probeService, startServiceForTest, type TestService } from '@omni/platform';
import { expectServiceAuthOnEveryRoute } from '@omni/platform/testing';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';

jest.setTimeout(60_000);

describe('gateway service boot (real Postgres, Redis, Kafka)', () => {
  let db: TestDatabase;
  let databaseUrl: string;
  let service: TestService;

  beforeAll(async () => {
    db = await createTestDatabase('gateway_boot');
    databaseUrl = db.url;
    service = await startServiceForTest(AppModule, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId('gateway')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('gateway-boot'),
      LOG_LEVEL: 'fatal',
    });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('runs its migrations, is live and ready with database, Redis and Kafka up, and exposes metrics', async () => {
    const applied: { name: string }[] = await service.app.get(DataSource).query('SELECT name FROM migrations');
    expect(applied.map((m) => m.name)).toEqual(expect.arrayContaining(['GatewayInit1763700000000', 'MessagingTables1763769600000']));
    const { live, ready, metrics } = await probeService(service.url);
    expect(live.status).toBe(200);
    expect({ status: ready.status, body: ready.body }).toMatchObject({ status: 200 });
    expect(ready.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' }, kafka: { status: 'up' } });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^process_resident_memory_bytes\{service="gateway"\} \d+/m);
    expect(metrics.text).toContain('http_request_duration_seconds');
  });

  it('is the public entry: no route of its route table asks for a service credential; health and metrics open', async () => {
    await expectServiceAuthOnEveryRoute(service.app, service.url);
  });

  it('answers unknown routes and oversized bodies with coded errors', async () => {
    const unknown = await fetch(`${service.url}/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const huge = await fetch(`${service.url}/health/live`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});

/** The gateway as production runs it: its own process, started from main.ts (swc-node compiles on the fly). */
class GatewayProcess {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

  constructor(env: Record<string, string>) {
    const root = resolve(__dirname, '../../..');
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/gateway/src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, at: Date.now() }));
  }

  /** The port from the "listening on" log line. */
  async port(): Promise<number> {
    return waitFor(() => Number(/listening on http:\/\/[^:]+:(\d+)/.exec(this.output)?.[1] ?? 0) || undefined, {
      timeoutMs: 45_000,
      what: `gateway to listen; output so far:\n${this.output}`,
    });
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

describe('gateway process lifecycle', () => {
  let db: TestDatabase;
  const processes: GatewayProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('gateway_process');
  });

  afterAll(async () => {
    for (const p of processes) p.kill();
    await db?.drop();
  });

  it('shuts down cleanly on SIGTERM: exit code 0 within the timeout, shutdown logged', async () => {
    const gateway = new GatewayProcess({
      NODE_ENV: 'development',
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId('gwproc')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('gateway-proc'),
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: '10000',
    });
    processes.push(gateway);
    const port = await gateway.port();
    expect((await probeService(`http://127.0.0.1:${port}`)).ready.status).toBe(200);

    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    const exit = await gateway.exited;

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(10_000);
    expect(gateway.output).toContain('received SIGTERM, shutting down');
    expect(gateway.output).toContain('shutdown complete');
    // Every line it wrote is a JSON log record.
    const lines = gateway.output.trim().split('\n');
    expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
  });

  it('refuses to start with bad configuration: exit code 1 and one message naming each variable, no stack', async () => {
    const gateway = new GatewayProcess({ NODE_ENV: 'production', PORT: 'http', LOG_LEVEL: 'chatty' });
    processes.push(gateway);
    const exit = await gateway.exited;

    expect(exit.code).toBe(1);
    expect(gateway.output).toContain('Invalid configuration for gateway');
    for (const variable of ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS']) {
      expect(gateway.output).toContain(`${variable} is required when NODE_ENV=production`);
    }
    expect(gateway.output).toContain('PORT must be an integer between 0 and 65535');
    expect(gateway.output).toContain('LOG_LEVEL must be one of');
    expect(gateway.output).not.toMatch(/^\s+at /m);
  });
});
