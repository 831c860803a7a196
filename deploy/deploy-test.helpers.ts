import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DB_CONNECT_TIMEOUT_MS, REQUIRED_PRODUCTION_ENV, ServiceEnv } from '@omni/platform';
import { APP_PORTS } from '../tools/infra/infra';

/** Repository root. */
export const repoRoot = path.resolve(__dirname, '..');

/**
 * Variables every app's config needs in production: NODE_ENV and PORT, plus what the platform
 * config refuses to default when NODE_ENV=production.
 */
export const requiredAppEnv: readonly string[] = ['NODE_ENV', 'PORT', ...REQUIRED_PRODUCTION_ENV];

/** Every app the deployment files must cover: each folder under apps/ plus every app with a known port. */
export function deployedApps(): string[] {
  const appsDir = path.join(repoRoot, 'apps');
  const folders = readdirSync(appsDir).filter((name) => statSync(path.join(appsDir, name)).isDirectory());
  return [...new Set([...folders, ...Object.keys(APP_PORTS)])].sort();
}

function tsFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name) ? [full] : [];
  });
}

/** The `defaultPort` an app declares in its service definition, or null while it declares none. */
export function declaredDefaultPort(app: string): number | null {
  for (const file of tsFiles(path.join(repoRoot, 'apps', app, 'src'))) {
    const match = /\bdefaultPort\s*:\s*(\d+)/.exec(readFileSync(file, 'utf8'));
    if (match) return Number(match[1]);
  }
  return null;
}

/**
 * Replaces compose `${VAR:-default}` / `${VAR}` with the default (or empty), as an unconfigured host
 * would, and `${VAR:?message}` (a value compose refuses to start without) with what the operator
 * supplies in `operatorEnv` (empty when not supplied).
 */
export function interpolateDefaults(value: string, operatorEnv: Record<string, string> = {}): string {
  return value.replace(/\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g, (_all, name: string, kind?: string, rest?: string) =>
    kind?.endsWith('?') ? (operatorEnv[name] ?? '') : (rest ?? ''),
  );
}

/** The app's own environment class (the exported subclass of ServiceEnv in its config folder). */
export function appEnvClass(app: string): typeof ServiceEnv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(path.join(repoRoot, 'apps', app, 'src', 'config', `${app}.config`)) as Record<string, unknown>;
  const found = Object.values(exported).find(
    (value): value is typeof ServiceEnv => typeof value === 'function' && (value === ServiceEnv || value.prototype instanceof ServiceEnv),
  );
  if (!found) throw new Error(`apps/${app}/src/config/${app}.config.ts exports no ServiceEnv class`);
  return found;
}

/**
 * How long the order service may take to answer POST /orders on its settings when it is loaded
 * but working: routing's stock lookup, a wait for a database connection to create the order, the
 * decision wait (then 202), and another connection wait to read the decision back. The gateway's
 * ORDER_PLACE_TIMEOUT_MS must exceed it, or a decision that arrived in time becomes a 503 there.
 */
export function orderPlaceAnswerBoundMs(order: { ORDER_ROUTING_TIMEOUT_MS: number; ORDER_DECISION_WAIT_MS: number }): number {
  return order.ORDER_ROUTING_TIMEOUT_MS + DB_CONNECT_TIMEOUT_MS + order.ORDER_DECISION_WAIT_MS + DB_CONNECT_TIMEOUT_MS;
}
