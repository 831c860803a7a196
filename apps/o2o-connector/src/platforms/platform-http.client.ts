import { signParts } from '../domain/request-signature';
import type { PlatformCallResult } from '../domain/platform-adapter.port';

/** Where a platform is and how we sign for it. */
export interface PlatformEndpoint {
  /** Base URL of the platform's API. */
  baseUrl: string;
  /** App key the platform issued us. */
  appKey: string;
  /** Shared secret for request and webhook signatures. */
  secret: string;
  /** Per-call timeout, ms. */
  timeoutMs: number;
}

/** Header names a platform uses for app key, timestamp and signature. */
export interface SignatureHeaderNames {
  appKey: string;
  timestamp: string;
  signature: string;
}

/** Signed HTTP calls to one platform, answers mapped to typed results (never thrown). */
export class PlatformHttpClient {
  /** One client per platform endpoint. */
  constructor(
    private readonly endpoint: PlatformEndpoint,
    private readonly headerNames: SignatureHeaderNames,
  ) {}

  /** Sends a signed request; 2xx → ok with the body text, 429 → rate-limited, 5xx/timeouts → unavailable, other 4xx → refused. */
  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<PlatformCallResult<string>> {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const timestamp = String(Date.now());
    const signature = signParts(this.endpoint.secret, { appKey: this.endpoint.appKey, timestamp, body: raw });
    let response: Response;
    try {
      response = await fetch(new URL(path, this.endpoint.baseUrl), {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          [this.headerNames.appKey]: this.endpoint.appKey,
          [this.headerNames.timestamp]: timestamp,
          [this.headerNames.signature]: signature,
        },
        body: body === undefined ? undefined : raw,
        signal: AbortSignal.timeout(this.endpoint.timeoutMs),
      });
    } catch (error) {
      return { ok: false, failure: { kind: 'unavailable', detail: (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message } };
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return { ok: true, value: text };
    if (response.status === 429) return { ok: false, failure: { kind: 'rate-limited', retryAfterMs: retryAfterMs(response.headers) } };
    if (response.status >= 500) return { ok: false, failure: { kind: 'unavailable', detail: `HTTP ${response.status}` } };
    return { ok: false, failure: { kind: 'refused', detail: `HTTP ${response.status} ${text.slice(0, 200)}` } };
  }
}

/** Retry-After in ms: a finer platform header when present, else the standard seconds (default 1 s). */
function retryAfterMs(headers: Headers): number {
  const fine = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(fine) && fine > 0) return fine;
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : 1_000;
}

/** Maps an ok call to `void`. */
export function done(result: PlatformCallResult<string>): PlatformCallResult {
  return result.ok ? { ok: true, value: undefined } : result;
}
