import { DEV_SERVICE_AUTH_KEY, SERVICE_TOKEN_TTL_SECONDS, signServiceToken } from '../service-auth/service-token';

/** Options of {@link serviceAuthHeaders}. */
export interface ServiceAuthHeaderOptions {
  /** The calling service named in the token (default `test`). */
  issuer?: string;
  /** Signing key (default: the first SERVICE_AUTH_KEY of the environment, else the development key). */
  key?: string;
  /** Issue a token that expired five minutes ago (for tests of the refusal). */
  expired?: boolean;
}

/** The key a test or a local tool signs with: the environment's first SERVICE_AUTH_KEY, else the development key. */
export function localServiceAuthKey(env: NodeJS.ProcessEnv = process.env): string {
  return env.SERVICE_AUTH_KEY?.split(',').map((key) => key.trim()).find((key) => key !== '') ?? DEV_SERVICE_AUTH_KEY;
}

/**
 * `{ authorization: 'Bearer <token>' }` for calling `audience`'s internal routes from a test, the
 * bench or the demo tools, as another service would. A fresh token each call (cheap), so a
 * long-running tool never holds an expired one.
 */
export function serviceAuthHeaders(audience: string, options: ServiceAuthHeaderOptions = {}): { authorization: string } {
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = options.expired ? now - 2 * SERVICE_TOKEN_TTL_SECONDS : now;
  const token = signServiceToken(options.key ?? localServiceAuthKey(), { issuer: options.issuer ?? 'test', audience, issuedAt });
  return { authorization: `Bearer ${token}` };
}

const serviceByOrigin = new Map<string, Promise<string | undefined>>();

/** The service answering at `origin`, read once from the `service` label of its metrics; undefined for anything else (a simulator). */
function serviceAt(origin: string): Promise<string | undefined> {
  let found = serviceByOrigin.get(origin);
  if (!found) {
    found = fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(5_000) })
      .then(async (res) => (res.ok ? /\bservice="([a-z0-9-]+)"/.exec(await res.text())?.[1] : undefined))
      .catch(() => undefined);
    serviceByOrigin.set(origin, found);
  }
  return found;
}

/**
 * The credential for whichever service answers at `url` (for test helpers that call several
 * services through one function): none for the gateway, the public entry, or for a URL that is no
 * service of ours.
 */
export async function serviceAuthHeadersForUrl(url: string, options: ServiceAuthHeaderOptions = {}): Promise<Record<string, string>> {
  const service = await serviceAt(new URL(url).origin);
  return service === undefined || service === 'gateway' ? {} : serviceAuthHeaders(service, options);
}
