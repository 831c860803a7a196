import { uniqueId } from '@omni/testing';
import Redis from 'ioredis';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { QUOTE_CACHE_MAX_TTL_MS, QuoteCache, quoteKey, type QuoteCacheOutcome } from '../src/pricing/quote-cache';
import { redisReplicas } from './support/redis-replicas';

jest.setTimeout(30_000);

/**
 * The quotes a gateway relayed, kept in a real Redis for the order that names them: shared by two
 * replicas, only for the quote's own channel, gone when the quote expires, and never in the way
 * when Redis is not there.
 */
describe('QuoteCache (real Redis, two replicas)', () => {
  const replicas = redisReplicas('quote-cache');
  const seen: Array<{ op: string; outcome: QuoteCacheOutcome | 'stored'; reason?: string }> = [];
  const record = (op: string, outcome: QuoteCacheOutcome | 'stored', reason?: string) => seen.push({ op, outcome, ...(reason ? { reason } : {}) });

  const quote = (quoteId: string, channel: string, expiresInMs: number) => ({
    quoteId,
    channel,
    currency: 'CNY',
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
    lines: [{ sku: 'TEA-250', quantity: 2, unitPrice: 4800, discounts: [], discountTotal: 0 }],
    subtotal: 9600,
    discountTotal: 0,
    total: 9600,
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('hands the quote one replica relayed to another, for its own channel only', async () => {
    const a = new QuoteCache(replicas.a, record);
    const b = new QuoteCache(replicas.b, record);
    const q = quote(uniqueId('q'), 'app', 60_000);
    await a.remember(q);
    expect(await b.recall('app', q.quoteId)).toEqual(q);
    // Another channel's key naming it learns nothing here: pricing is asked, and answers it as unknown.
    expect(await b.recall('tmall', q.quoteId)).toBeUndefined();
    expect(await b.recall('app', uniqueId('q'))).toBeUndefined();
    expect(seen.map((s) => `${s.op}:${s.outcome}`)).toEqual(['remember:stored', 'recall:hit', 'recall:miss', 'recall:miss']);
  });

  it('keeps a quote until it expires (never longer than the cap), and no answer that is not a quote', async () => {
    const cache = new QuoteCache(replicas.a, record);
    const short = quote(uniqueId('q'), 'app', 1_500);
    await cache.remember(short);
    const ttl = await replicas.a.pttl(quoteKey(short.quoteId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_500);
    const long = quote(uniqueId('q'), 'app', 48 * 3_600_000);
    await cache.remember(long);
    expect(await replicas.a.pttl(quoteKey(long.quoteId))).toBeLessThanOrEqual(QUOTE_CACHE_MAX_TTL_MS);
    // Expired already, or not pricing's quote shape: nothing is written.
    const expired = quote(uniqueId('q'), 'app', -1);
    await cache.remember(expired);
    await cache.remember({ channel: 'app', lines: [], total: 1 });
    expect(await replicas.a.exists(quoteKey(expired.quoteId))).toBe(0);
    await new Promise((r) => setTimeout(r, 1_700));
    expect(await cache.recall('app', short.quoteId)).toBeUndefined();
    expect(await cache.recall('app', long.quoteId)).toEqual(long);
  });

  it('reads a damaged entry as a miss', async () => {
    const cache = new QuoteCache(replicas.a, record);
    const id = uniqueId('q');
    await replicas.a.set(quoteKey(id), '{not json', 'PX', 10_000);
    expect(await cache.recall('app', id)).toBeUndefined();
    await replicas.a.set(quoteKey(id), JSON.stringify({ quoteId: 'another', channel: 'app', expiresAt: new Date().toISOString(), lines: [] }), 'PX', 10_000);
    expect(await cache.recall('app', id)).toBeUndefined();
    expect(seen.map((s) => s.outcome)).toEqual(['miss', 'miss']);
  });

  it('passes by a Redis that does not answer: nothing thrown, the failure reported', async () => {
    // A server that takes the connection and never answers (no ready check, so the commands are sent to it): the budget decides.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const down = new Redis({ host: '127.0.0.1', port: (silent.address() as AddressInfo).port, maxRetriesPerRequest: null, enableReadyCheck: false });
    down.on('error', () => undefined);
    try {
      const cache = new QuoteCache(down, record, 100);
      const q = quote(uniqueId('q'), 'app', 60_000);
      const started = Date.now();
      await expect(cache.remember(q)).resolves.toBeUndefined();
      await expect(cache.recall('app', q.quoteId)).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(seen).toEqual([
        { op: 'remember', outcome: 'error', reason: expect.stringContaining('did not answer within 100 ms') },
        { op: 'recall', outcome: 'error', reason: expect.stringContaining('did not answer within 100 ms') },
      ]);
    } finally {
      const ended = new Promise((resolve) => down.once('end', resolve));
      down.disconnect();
      for (const socket of sockets) socket.destroy();
      await ended;
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
