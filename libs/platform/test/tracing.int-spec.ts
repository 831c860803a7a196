import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@omni/testing';

jest.setTimeout(60_000);

interface OtlpSpan {
  name: string;
  traceId: string;
  attributes: Array<{ key: string; value: { stringValue?: string } }>;
}

/**
 * The tracing every service loads (libs/platform/src/tracing.ts), in a real process exporting over
 * OTLP/HTTP to a receiver here: a request is one trace whose server span names its route, the route
 * handler has its span, and the middleware layers every request passes get none.
 */
describe('service tracing (a real process, OTLP/HTTP)', () => {
  let receiver: Server;
  let app: ChildProcess | undefined;
  const spans: OtlpSpan[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const payload = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
        for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
  });

  afterAll(async () => {
    app?.kill('SIGKILL');
    receiver.close();
  });

  it('traces a request with its route and handler, and no span per middleware', async () => {
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    app = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'fixtures', 'traced-app.ts')], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'traced-app', OTEL_TRACES_SAMPLER: 'always_on', OTEL_BSP_SCHEDULE_DELAY: '50' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    app.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const port = await waitFor(() => /listening (\d+)/.exec(out)?.[1], { timeoutMs: 30_000, intervalMs: 50, what: 'the traced app listening' });
    const res = await fetch(`http://127.0.0.1:${port}/things/42`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await res.json()).toEqual({ id: '42', got: { a: 1 } });

    const server = await waitFor(() => spans.find((s) => s.name.startsWith('POST')), { timeoutMs: 20_000, intervalMs: 50, what: 'the server span' });
    const handler = await waitFor(() => spans.find((s) => s.name.startsWith('request handler')), { timeoutMs: 20_000, intervalMs: 50, what: 'the handler span' });
    expect(server.name).toBe('POST /things/:id');
    expect(server.attributes.find((a) => a.key === 'http.route')?.value.stringValue).toBe('/things/:id');
    expect(handler.traceId).toBe(server.traceId);
    // Two spans in all: without the setting, express.json() and the pass-through middleware have one each.
    expect(spans.filter((s) => s.traceId === server.traceId).map((s) => s.name).sort()).toEqual(['POST /things/:id', handler.name]);
  });
});
