import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { REQUEST_ID_HEADER, type ServiceCredentials } from '@omni/platform';
import { currentRequestContext } from './request-context';
import { badUpstreamResponse, transportFailure, upstreamRejection } from './upstream.errors';
import type { UpstreamLimiter } from './upstream.limiter';

/** One call to an upstream's internal API. */
export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the base URL; segments taken from callers must already be encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Extra headers (Idempotency-Key). */
  headers?: Record<string, string | undefined>;
  /** Statuses relayed as they are besides the usual business 4xx (member's 401 and 429 of sign-in, the 401 of a signature the upstream checks: the caller's credentials, not the gateway's). */
  relayStatuses?: readonly number[];
  /** This call's timeout instead of the client's (placing an order waits for the saga's decision). */
  timeoutMs?: number;
}

/** A successful upstream answer. */
export interface UpstreamResponse<T> {
  status: number;
  body: T;
  headers: IncomingHttpHeaders;
}

/** Encodes one path segment taken from a caller (ids are validated before, this is defence in depth). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/**
 * HTTP client of one internal service: JSON in and out, the gateway's service credential for that
 * service, a timeout on every call, the request id passed along, at most so many calls in flight
 * with a bounded queue before them (see UpstreamLimiter), and every failure turned into a coded
 * gateway answer (see upstream.errors).
 */
export class UpstreamClient {
  constructor(
    /** Service name, e.g. `catalog`; used in error codes and as the audience of the credential. */
    readonly service: string,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly credentials: ServiceCredentials,
    private readonly limiter?: UpstreamLimiter,
  ) {
    const tls = baseUrl.startsWith('https:');
    this.agent = tls ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.send = tls ? httpsRequest : httpRequest;
  }

  /** Connections to the upstream, kept open between calls (the limiter bounds how many are in use). */
  private readonly agent: HttpAgent;
  private readonly send: (url: URL, options: RequestOptions, answer: (res: IncomingMessage) => void) => ClientRequest;


  /** Sends the request; resolves with a 2xx answer, throws a gateway HttpException otherwise. */
  async call<T>(request: UpstreamRequest): Promise<UpstreamResponse<T>> {
    const url = new URL(request.path.replace(/^\//, ''), this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    const requestId = currentRequestContext()?.requestId;
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    for (const [key, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[key] = value;
    }
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    // Last, so no caller-supplied header can stand in for the gateway's own credential.
    Object.assign(headers, this.credentials.headerFor(this.service));
    const send = () => this.exchange(url, request, headers);
    // The limiter may refuse the call while it waits for a slot, never once it was sent.
    const { response, text } = await (this.limiter ? this.limiter.run(send) : send());
    let body: unknown = undefined;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        if (response.ok) throw badUpstreamResponse(this.service, 'the body is not JSON');
      }
    }
    if (!response.ok) throw upstreamRejection(this.service, response.status, body, request.relayStatuses);
    return { status: response.status, body: body as T, headers: response.headers };
  }

  /**
   * One HTTP exchange within the timeout over the client's kept-alive connections: the answer and
   * its whole body, or a transport failure. Node's http module rather than fetch: fetch (undici's
   * web streams) cost the gateway a tenth of its CPU on the buyer path.
   */
  private exchange(url: URL, request: UpstreamRequest, headers: Record<string, string>, firstTry = true): Promise<{ response: UpstreamAnswer; text: string }> {
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    return new Promise((resolve, reject) => {
      let timedOut = false;
      let answered = false;
      const fail = (): void => reject(transportFailure(this.service, timedOut ? 'timeout' : 'unreachable'));
      const req = this.send(url, { method: request.method, headers, agent: this.agent }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          resolve({ response: { status, ok: status >= 200 && status < 300, headers: res.headers }, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy();
      }, timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // A kept-alive connection the upstream closed while idle, reset before any answer: the
        // request never reached it, so it is sent once more on a fresh connection.
        if (firstTry && !timedOut && !answered && req.reusedSocket && error.code === 'ECONNRESET') {
          resolve(this.exchange(url, request, headers, false));
          return;
        }
        fail();
      });
      req.end(payload);
    });
  }
}

/** The parts of an upstream's HTTP answer the client reads. */
interface UpstreamAnswer {
  status: number;
  ok: boolean;
  headers: IncomingHttpHeaders;
}
