import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { sqlStatementsSent } from '../database/prepared-statement.client';

/** Route label for requests that matched no route, so unknown paths cannot explode the label set. */
const UNMATCHED_ROUTE = 'unmatched';
const CATCH_ALL_ROUTES = new Set(['*', '/*', '{*path}', '/{*path}', '*path', '/*path']);
/**
 * Sampling period of the event-loop delay histogram, ms. prom-client's 10 ms default wakes an
 * idle process a hundred times a second just to measure it; at 100 ms a stall still shows in the
 * max and percentiles (the sample due during it comes late by its length), at a tenth of the cost.
 */
export const EVENT_LOOP_MONITORING_PRECISION_MS = 100;

/**
 * The service's Prometheus registry: default process metrics labelled with the service name and
 * an HTTP request duration histogram, and the SQL statements its database pools sent. One registry per app (not the global one), so several apps
 * can live in one process (tests) and feature code can register its own metrics here.
 */
@Injectable()
export class MetricsService {
  /** Registry behind `/metrics`; feature metrics register here (`registers: [metrics.registry]`). */
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'route' | 'method' | 'status_code'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_MONITORING_PRECISION_MS });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route, method and status code',
      labelNames: ['route', 'method', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    // What the service's pools sent to Postgres, read at scrape time (the bench's SQL per saga).
    let reported = 0;
    new Counter({
      name: 'db_statements_total',
      help: "SQL statements this process's database pools sent (BEGIN and COMMIT included)",
      registers: [this.registry],
      collect() {
        const sent = sqlStatementsSent();
        this.inc(sent - reported);
        reported = sent;
      },
    });
  }

  /** Express middleware that times each request until its response is finished. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const stop = this.httpDuration.startTimer();
    res.once('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      // Nest answers unknown paths from a catch-all route; label those as one series.
      const route = typeof routePath === 'string' && !CATCH_ALL_ROUTES.has(routePath) ? `${req.baseUrl}${routePath}` : UNMATCHED_ROUTE;
      stop({ route, method: req.method, status_code: String(res.statusCode) });
    });
    next();
  };

  /** Text exposition for Prometheus. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
