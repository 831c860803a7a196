import { HttpException } from '@nestjs/common';
import { DomainError, type ErrorBody, type ErrorDetail } from './domain-error';

/** Codes for HttpExceptions thrown by Nest or libraries, keyed by status. */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** How an error is answered over HTTP, and whether it is a bug worth an error log. */
export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** True for unexpected failures (500s that nobody threw on purpose). */
  unexpected: boolean;
  /** Extra response headers (Retry-After on overload). */
  headers?: Record<string, string>;
}

/**
 * Overload of the database, not a bug: every pooled connection stayed busy for the whole
 * acquire timeout (pg-pool), a new connection did not open within it, or Postgres refused a new
 * connection (SQLSTATE 53300): 503 with Retry-After. A statement that could not get a connection
 * did not run, but an earlier one of the same request may have committed (an order created before
 * its answer was read back), so clients retry with the same Idempotency-Key and get the first
 * attempt's result.
 */
export function isDatabaseOverload(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { message, code, driverError } = error as { message?: unknown; code?: unknown; driverError?: { code?: unknown; message?: unknown } };
  if (code === '53300' || driverError?.code === '53300') return true;
  const text = [message, driverError?.message].filter((m): m is string => typeof m === 'string');
  // pg-pool: no pooled connection came free in time, or a new one could not be opened in time
  // (a loaded server is slow to start backends while the pool grows during a burst).
  return text.some((m) => m.includes('timeout exceeded when trying to connect') || m.includes('Connection terminated due to connection timeout'));
}

/** Errors raised by the express body parser (size limit, malformed JSON) carry a `type`. */
interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number';
}

/**
 * A 4xx raised by the HTTP stack itself before any route ran (http-errors style: a numeric status
 * and `expose`): a body whose bytes do not match its Content-Encoding (gzip, deflate, br), an
 * unsupported encoding or charset. The client sent it; it is never a 500.
 */
function clientHttpError(exception: unknown): ErrorResponse | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, statusCode, expose, code, message } = exception as { status?: unknown; statusCode?: unknown; expose?: unknown; code?: unknown; message?: unknown };
  const httpStatus = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
  if (httpStatus === undefined || httpStatus < 400 || httpStatus > 499 || expose !== true) return undefined;
  const text = typeof message === 'string' ? message : '';
  const undecodable = (typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__ERROR'))) || /decompression|incorrect header check|invalid (block|stored|distance)/i.test(text);
  if (undecodable) {
    return { status: 400, body: { code: 'MALFORMED_BODY', message: 'Request body could not be decoded as its Content-Encoding says' }, unexpected: false };
  }
  return { status: httpStatus, body: { code: CODE_BY_STATUS[httpStatus] ?? `HTTP_${httpStatus}`, message: text || 'Request body could not be read' }, unexpected: false };
}

function httpExceptionBody(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const code = CODE_BY_STATUS[status] ?? `HTTP_${status}`;
  const response = exception.getResponse();
  if (typeof response === 'string') return { code, message: response };
  const { message, code: ownCode, details } = response as { message?: unknown; code?: unknown; details?: unknown };
  const body: ErrorBody = {
    code: typeof ownCode === 'string' ? ownCode : code,
    message: Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message,
  };
  if (Array.isArray(details)) body.details = details as ErrorDetail[];
  return body;
}

/**
 * Maps any thrown value to the status and `{ code, message, details? }` body the client sees.
 * Every 503 (overload, an unavailable dependency) tells the client when to retry.
 */
export function toErrorResponse(exception: unknown): ErrorResponse {
  const mapped = mapError(exception);
  return mapped.status === 503 && !mapped.headers ? { ...mapped, headers: { 'retry-after': '1' } } : mapped;
}

function mapError(exception: unknown): ErrorResponse {
  if (exception instanceof DomainError) {
    const answer: ErrorResponse = { status: exception.httpStatus, body: exception.toBody(), unexpected: exception.httpStatus === 500 };
    if (exception.retryAfterSeconds !== undefined) answer.headers = { 'retry-after': String(exception.retryAfterSeconds) };
    return answer;
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, body: httpExceptionBody(exception), unexpected: false };
  }
  if (isBodyParserError(exception)) {
    if (exception.type === 'entity.too.large') {
      return {
        status: 413,
        body: { code: 'PAYLOAD_TOO_LARGE', message: `Request body exceeds the limit of ${exception.limit ?? 'the allowed'} bytes` },
        unexpected: false,
      };
    }
    if (exception.type === 'entity.parse.failed') {
      return { status: 400, body: { code: 'MALFORMED_BODY', message: 'Request body is not valid JSON' }, unexpected: false };
    }
    const status = exception.status ?? 400;
    if (status < 500) {
      return { status, body: { code: CODE_BY_STATUS[status] ?? `HTTP_${status}`, message: 'Request body could not be read' }, unexpected: false };
    }
  }
  const client = clientHttpError(exception);
  if (client) return client;
  if (isDatabaseOverload(exception)) {
    return {
      status: 503,
      body: { code: 'DATABASE_BUSY', message: 'Every database connection is busy; retry shortly (with the same Idempotency-Key where the route takes one)' },
      unexpected: false,
      headers: { 'retry-after': '1' },
    };
  }
  return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'Internal server error' }, unexpected: true };
}
