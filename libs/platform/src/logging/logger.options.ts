import type { IncomingMessage, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import type { Params } from 'nestjs-pino';
import { startTime } from 'pino-http';
import { v7 as uuidv7 } from 'uuid';
import type { LogLevel, ServiceEnv } from '../config/service-env';

/** Header carrying the request id in both directions. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Headers whose values never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
];

/** Accepts caller-chosen ids that are safe to log and echo; anything else is replaced. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Uses the caller's x-request-id when it looks sane, otherwise a new UUIDv7; echoes it back. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
  const id = candidate && SAFE_REQUEST_ID.test(candidate) ? candidate : uuidv7();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** Adds the active OpenTelemetry trace and span ids to every log line, when there is a span. */
export function traceMixin(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!traceId || /^0+$/.test(traceId)) return {};
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}`.slice(-2) };
}

/** Probes and scrapes hit these every few seconds; logging each would drown the useful lines. */
function isNoisyPath(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return url.startsWith('/health') || url.startsWith('/metrics');
}

/** Levels at or below debug: with one of these, fast successful requests are logged too (at debug). */
const DEBUG_LEVELS: readonly LogLevel[] = ['debug', 'trace'];

/**
 * The level a finished request is logged at: error for a failure or a 5xx; warn for a refused
 * credential (401, 403: a misconfigured client or a probe, worth an operator's eye); info for any
 * other 4xx (the client's own answer: a sold-out order, a shed request, a validation error; a flash
 * sale answers thousands a second, no operator acts on each) and for a success slower than
 * `slowMs`; a fast success only at debug (not at all, not even formatted, unless the logger runs at debug).
 */
export function requestLogLevel(statusCode: number, failed: boolean, elapsedMs: number, options: { slowMs: number; loggerLevel: LogLevel }): 'error' | 'warn' | 'info' | 'debug' | 'silent' {
  if (failed || statusCode >= 500) return 'error';
  if (statusCode === 401 || statusCode === 403) return 'warn';
  if (statusCode >= 400) return 'info';
  if (elapsedMs > options.slowMs) return 'info';
  return DEBUG_LEVELS.includes(options.loggerLevel) ? 'debug' : 'silent';
}

/** nestjs-pino parameters: JSON to stdout, level from LOG_LEVEL, request ids, trace ids, redaction. */
export function loggerParams(service: string, config: ServiceEnv): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      base: { service, pid: process.pid },
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceMixin,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: requestId,
      customProps: (req) => ({ request_id: (req as IncomingMessage & { id?: unknown }).id }),
      autoLogging: { ignore: isNoisyPath },
      customLogLevel: (_req, res, err) =>
        requestLogLevel(res.statusCode, Boolean(err), Date.now() - ((res as ServerResponse & { [startTime]?: number })[startTime] ?? Date.now()), {
          slowMs: config.LOG_SLOW_REQUEST_MS,
          loggerLevel: config.LOG_LEVEL,
        }),
      customSuccessMessage: (_req, res, responseTime) => (res.statusCode < 400 && responseTime > config.LOG_SLOW_REQUEST_MS ? 'slow request completed' : 'request completed'),
    },
  };
}
