import { brotliCompressSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { MAX_BODY_DEPTH } from '../http/body-shape.guard';
import { SERVICE_DEFINITION } from '../platform.tokens';
import type { ServiceDefinition } from '../service-definition';
import { isOperationalRoute, mountedRoutes, samplePath, type MountedRoute } from './route-table';
import { serviceAuthHeaders } from './service-auth-headers';

/** One malformed request: what is wrong with it, and how to send it. */
export interface EdgeFault {
  what: string;
  /** Appended to the route's sample path. */
  query?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Only for routes that read a body (POST, PUT, PATCH). */
  bodyOnly?: boolean;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const deep = `{"deep":${'['.repeat(MAX_BODY_DEPTH + 1)}${']'.repeat(MAX_BODY_DEPTH + 1)}}`;

/**
 * The classes of bad input the platform refuses for every route at once (the body parser, the
 * body-shape guard, the query-integer rule): each must be a coded 4xx wherever it is sent. A body
 * whose Content-Encoding does not match its bytes, NUL characters, prototype keys, nesting past
 * MAX_BODY_DEPTH, malformed JSON, and hexadecimal or exponent numbers in a query string.
 */
export const EDGE_FAULTS: readonly EdgeFault[] = [
  { what: 'gzip Content-Encoding over plain bytes', bodyOnly: true, headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: '{"name":"not gzip"}' },
  { what: 'deflate Content-Encoding over plain bytes', bodyOnly: true, headers: { ...JSON_TYPE, 'content-encoding': 'deflate' }, body: '{"name":"not deflate"}' },
  { what: 'br Content-Encoding over plain bytes', bodyOnly: true, headers: { ...JSON_TYPE, 'content-encoding': 'br' }, body: '{"name":"not brotli"}' },
  { what: 'br Content-Encoding over truncated brotli', bodyOnly: true, headers: { ...JSON_TYPE, 'content-encoding': 'br' }, body: brotliCompressSync(Buffer.from('{"name":"cut short"}')).subarray(0, 6) },
  { what: 'NUL character in a free-text field', bodyOnly: true, headers: JSON_TYPE, body: '{"name":"Long\\u0000jing","note":"a\\u0000b"}' },
  { what: 'prototype keys', bodyOnly: true, headers: JSON_TYPE, body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}' },
  { what: `nesting deeper than ${MAX_BODY_DEPTH}`, bodyOnly: true, headers: JSON_TYPE, body: deep },
  { what: 'malformed JSON', bodyOnly: true, headers: JSON_TYPE, body: '{"lines": [' },
  { what: 'NUL character in the query string', query: '?q=Long%00jing&name=%00' },
  { what: 'prototype key in the query string', query: '?__proto__=1&constructor=x' },
];

/** Numbers in a query string that `Number()` would read (0x10 as 16): refused where a route reads them, ignored elsewhere, never a 5xx. */
export const LENIENT_QUERY_FAULTS: readonly EdgeFault[] = [{ what: 'limit=0x10-style numbers in the query string', query: '?limit=0x10&before=1e3&offset=%2016&page=-0x1' }];

/** What a route answered to one fault. */
export interface EdgeAnswer {
  route: string;
  fault: string;
  status: number;
  code?: unknown;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

async function send(baseUrl: string, route: MountedRoute, fault: EdgeFault, headers: Record<string, string>): Promise<EdgeAnswer> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${samplePath(route.path)}${fault.query ?? ''}`, {
      method: route.method,
      headers: { ...headers, ...(fault.headers ?? {}) },
      body: BODY_METHODS.has(route.method) ? (fault.body ?? undefined) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    // Still running after 10 s: the input got past the edge to a handler (status 0).
    if ((error as Error).name === 'TimeoutError') return { route: `${route.method} ${route.path}`, fault: fault.what, status: 0 };
    throw error;
  }
  const text = await response.text();
  let code: unknown;
  try {
    code = (JSON.parse(text) as { code?: unknown }).code;
  } catch {
    code = undefined;
  }
  return { route: `${route.method} ${route.path}`, fault: fault.what, status: response.status, code };
}

/**
 * Sends every {@link EDGE_FAULTS} fault to every route of a running service's own route table
 * (health and metrics aside), with a valid service credential (none for a public entry), and
 * expects (jest) a 4xx with a JSON body carrying an upper-case code for each; the lenient query
 * faults may be ignored by a route that reads no query, but never answered with a 5xx. The service
 * must still be live and ready afterwards. Returns how many requests were sent.
 */
export async function expectEdgeFaultsRefusedOnEveryRoute(app: INestApplication, baseUrl: string): Promise<number> {
  const def = app.get<ServiceDefinition>(SERVICE_DEFINITION);
  const routes = mountedRoutes(app).filter((route) => !isOperationalRoute(route.path));
  expect(routes.length).toBeGreaterThan(0);
  const credential = (): Record<string, string> => (def.callers === 'public' ? {} : serviceAuthHeaders(def.name, { issuer: 'edge-sweep' }));
  const wrong: EdgeAnswer[] = [];
  let sent = 0;
  for (const route of routes) {
    for (const fault of EDGE_FAULTS) {
      if (fault.bodyOnly && !BODY_METHODS.has(route.method)) continue;
      const answer = await send(baseUrl, route, fault, credential());
      sent++;
      if (answer.status < 400 || answer.status > 499 || typeof answer.code !== 'string' || !/^[A-Z0-9_]+$/.test(answer.code)) wrong.push(answer);
    }
    // Routes that read a query string are reads; a write's query is not its input.
    if (BODY_METHODS.has(route.method)) continue;
    for (const fault of LENIENT_QUERY_FAULTS) {
      const answer = await send(baseUrl, route, fault, credential());
      sent++;
      if (answer.status === 0 || answer.status >= 500 || (answer.status >= 400 && typeof answer.code !== 'string')) wrong.push(answer);
    }
  }
  expect(wrong).toEqual([]);
  for (const probe of ['/health/live', '/health/ready']) {
    const status = (await fetch(`${baseUrl}${probe}`, { signal: AbortSignal.timeout(10_000) })).status;
    expect({ probe, status }).toEqual({ probe, status: 200 });
  }
  return sent;
}
