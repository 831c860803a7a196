import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Tracks the HTTP requests in flight on a server so shutdown can stop intake and let them finish:
 * {@link drain} stops accepting connections, closes idle keep-alive ones, marks every unfinished
 * response `Connection: close` (so its socket ends with it), waits until none is in flight or the
 * time is up, then closes what remains.
 */
export class HttpIntake {
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;
  private onIdle?: () => void;

  constructor(private readonly server: Server) {
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.inFlight.add(res);
      // A request that arrives on a kept-alive connection while draining is served, and its connection ends with it.
      if (this.draining && !res.headersSent) res.setHeader('connection', 'close');
      res.once('close', () => {
        this.inFlight.delete(res);
        if (this.inFlight.size === 0) this.onIdle?.();
      });
    });
  }

  /** Requests being answered now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Stops intake and waits up to `timeoutMs` for the requests in flight; resolves to how many were cut off. */
  async drain(timeoutMs: number): Promise<number> {
    this.draining = true;
    this.server.close();
    this.server.closeIdleConnections();
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.onIdle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    const cutOff = this.inFlight.size;
    this.server.closeAllConnections();
    return cutOff;
  }
}
