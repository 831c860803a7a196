import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { REQUIRED_PRODUCTION_ENV } from '@omni/platform';
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
