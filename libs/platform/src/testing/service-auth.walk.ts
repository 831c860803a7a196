import type { INestApplication } from '@nestjs/common';
import { SERVICE_DEFINITION } from '../platform.tokens';
import { isServiceCredentialRefusal, SERVICE_CREDENTIAL_INVALID, SERVICE_CREDENTIAL_REQUIRED } from '../service-auth/service-auth.guard';
import type { ServiceDefinition } from '../service-definition';
import { isOperationalRoute, mountedRoutes, samplePath, type MountedRoute } from './route-table';
import { serviceAuthHeaders } from './service-auth-headers';

/**
 * Walks every route of a running service's own route table (jest expectations): health and
 * metrics answer 200 without a credential; every other route answers 401
 * SERVICE_CREDENTIAL_REQUIRED without one (or with a non-bearer one) and 401
 * SERVICE_CREDENTIAL_INVALID with a token for another service, signed with another key or expired,
 * and never refuses a valid one. A public entry (the gateway) asks no route for a credential.
 */
export async function expectServiceAuthOnEveryRoute(app: INestApplication, baseUrl: string): Promise<void> {
  const def = app.get<ServiceDefinition>(SERVICE_DEFINITION);
  const routes = mountedRoutes(app);
  const operational = routes.filter((route) => isOperationalRoute(route.path));
  expect(operational.map((route) => `${route.method} ${route.path}`)).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics']);
  for (const route of operational) expect({ route: route.path, status: (await callRoute(baseUrl, route, {})).status }).toEqual({ route: route.path, status: 200 });

  const internal = routes.filter((route) => !isOperationalRoute(route.path));
  expect(internal.length).toBeGreaterThan(0);
  if (def.callers === 'public') {
    // The public entry authenticates its callers itself: no route of it asks for a service credential.
    const answers = await mapLimited(internal, (route) => callRoute(baseUrl, route, {}));
    expect(internal.filter((_route, i) => isServiceCredentialRefusal(answers[i].status, answers[i].body))).toEqual([]);
    return;
  }
  const wrongCredentials: Array<[string, Record<string, string>, string]> = [
    ['none', {}, SERVICE_CREDENTIAL_REQUIRED],
    ['not a bearer token', { authorization: 'Basic dGVzdDp0ZXN0' }, SERVICE_CREDENTIAL_REQUIRED],
    ['a token for another service', serviceAuthHeaders(def.name === 'catalog' ? 'pricing' : 'catalog'), SERVICE_CREDENTIAL_INVALID],
    ['a token signed with another key', serviceAuthHeaders(def.name, { key: 'another-environment-service-auth-key-0123456789' }), SERVICE_CREDENTIAL_INVALID],
    ['an expired token', serviceAuthHeaders(def.name, { expired: true }), SERVICE_CREDENTIAL_INVALID],
  ];
  for (const [credential, headers, code] of wrongCredentials) {
    const answers = await mapLimited(internal, (route) => callRoute(baseUrl, route, headers));
    const notRefused = internal
      .map((route, i) => ({ route: `${route.method} ${route.path}`, status: answers[i].status, code: (answers[i].body as { code?: unknown } | null)?.code }))
      .filter((answer) => answer.status !== 401 || answer.code !== code);
    expect({ credential, notRefused }).toEqual({ credential, notRefused: [] });
  }
  const valid = serviceAuthHeaders(def.name, { issuer: 'boot-suite' });
  const answers = await mapLimited(internal, (route) => callRoute(baseUrl, route, valid));
  // A route may answer 401 for its own reason (a payment callback's missing signature), never for the credential.
  const refused = internal.map((route, i) => ({ route: `${route.method} ${route.path}`, ...answers[i] })).filter((answer) => isServiceCredentialRefusal(answer.status, answer.body));
  expect(refused).toEqual([]);
}

/** What a route answered; a request still running after the time limit passed the guard (status 0). */
interface RouteAnswer {
  status: number;
  body: unknown;
}

/** Calls one route with a sample path and an empty JSON body (for methods that carry one). */
async function callRoute(baseUrl: string, route: MountedRoute, headers: Record<string, string>): Promise<RouteAnswer> {
  const withBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(route.method);
  try {
    const response = await fetch(`${baseUrl}${samplePath(route.path)}`, {
      method: route.method,
      headers: { ...headers, ...(withBody ? { 'content-type': 'application/json' } : {}) },
      body: withBody ? '{}' : undefined,
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (metrics text); kept as text.
    }
    return { status: response.status, body };
  } catch (error) {
    // Only a request the guard let through can still be running: its handler is at work.
    if ((error as Error).name === 'TimeoutError') return { status: 0, body: null };
    throw error;
  }
}

/** Runs `task` over `items`, a few at a time, keeping the order. */
async function mapLimited<T, R>(items: readonly T[], task: (item: T) => Promise<R>, limit = 8): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
