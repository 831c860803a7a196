import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stub received. */
export interface StubCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** The body exactly as received. */
  rawBody: string;
}

/** What a stub handler answers; `delayMs` holds the answer back (timeouts), `raw` sends a non-JSON body. */
export interface StubAnswer {
  status: number;
  /** Drop the connection without answering (an upstream that died mid-request). */
  destroy?: boolean;
  body?: unknown;
  raw?: string;
  delayMs?: number;
}

/** Routes a call to an answer; undefined falls through to the next handler. */
export type StubHandler = (call: StubCall) => StubAnswer | undefined;

/**
 * A stand-in for the internal APIs the gateway calls (catalog, pricing, inventory, order) on one
 * port: it records every call and answers from handlers; tests put overrides in front to make an
 * upstream fail, stall or reject.
 */
export class UpstreamStub {
  readonly calls: StubCall[] = [];
  private readonly overrides: StubHandler[] = [];
  private server?: Server;
  url = '';

  constructor(private readonly handlers: StubHandler[]) {}

  /** Listens on an ephemeral loopback port. */
  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Puts a handler in front until the returned function is called. */
  override(handler: StubHandler): () => void {
    this.overrides.unshift(handler);
    return () => {
      const index = this.overrides.indexOf(handler);
      if (index >= 0) this.overrides.splice(index, 1);
    };
  }

  /** Calls whose path starts with `prefix`. */
  callsTo(prefix: string): StubCall[] {
    return this.calls.filter((c) => c.path.startsWith(prefix));
  }

  /** Stops listening and drops open connections. */
  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stub');
    const call: StubCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined,
      rawBody: text,
    };
    this.calls.push(call);
    let answer: StubAnswer | undefined;
    for (const handler of [...this.overrides, ...this.handlers]) {
      answer = handler(call);
      if (answer) break;
    }
    answer ??= { status: 404, body: { code: 'NOT_FOUND', message: `stub has no route ${call.method} ${call.path}` } };
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (res.destroyed) return;
    if (answer.destroy) {
      req.socket.destroy();
      return;
    }
    res.statusCode = answer.status;
    if (answer.raw !== undefined) {
      res.setHeader('content-type', 'text/plain');
      res.end(answer.raw);
    } else if (answer.body === undefined) {
      res.end();
    } else {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer.body));
    }
  }
}
