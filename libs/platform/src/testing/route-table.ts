import { METHODS } from 'node:http';
import type { INestApplication } from '@nestjs/common';

/** One route as the HTTP server mounted it. */
export interface MountedRoute {
  method: string;
  /** The route's path pattern, e.g. `/internal/atp/:sku`. */
  path: string;
}

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * Every route the app's Express router holds, read from the router itself (what Nest mounted,
 * global prefix and versioning included) rather than from controller metadata. Sorted, unique.
 * Layers answering every HTTP method are middleware bound with `forRoutes('*')` (timing, request
 * context), not routes; no controller here uses @All.
 */
export function mountedRoutes(app: INestApplication): MountedRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: RouterLayer[] }; _router?: { stack: RouterLayer[] } };
  const stack = (express.router ?? express._router)?.stack;
  if (!stack) throw new Error('the HTTP adapter exposes no Express router to read the routes from');
  const routes = new Map<string, MountedRoute>();
  for (const layer of stack) {
    if (!layer.route) continue;
    if (METHODS.every((method) => layer.route!.methods[method.toLowerCase()])) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') routes.set(`${method.toUpperCase()} ${path}`, { method: method.toUpperCase(), path });
      }
    }
  }
  return [...routes.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** A sample id put in every path parameter (a UUIDv7: ids here are UUIDv7 strings). */
export const SAMPLE_PATH_PARAMETER = '01890a5d-ac96-774b-bcce-b302099a8057';

/** A concrete path for a route pattern: each parameter and wildcard gets a sample value, optional parts are kept. */
export function samplePath(pattern: string): string {
  return pattern
    .replace(/\{\*[^}]*\}|\*\w*/g, 'sample')
    .replace(/:\w+/g, SAMPLE_PATH_PARAMETER)
    .replace(/[{}]/g, '');
}

/** Health and metrics: the routes every service keeps open to probes and scrapers. */
export function isOperationalRoute(path: string): boolean {
  return path === '/metrics' || path.startsWith('/health/');
}
