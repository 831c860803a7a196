import { HttpException } from '@nestjs/common';
import { DomainError, DomainErrorType, isServiceCredentialRefusal, type ErrorBody, type ErrorDetail } from '@omni/platform';

/** Statuses an upstream may answer that the caller can act on; relayed with the upstream's body. */
const RELAYED_STATUSES = new Set([400, 404, 409, 410, 412, 413, 422]);

/** Why an upstream call failed before an HTTP answer came back. */
export type TransportFailure = 'timeout' | 'unreachable';

function codeName(service: string): string {
  return service.toUpperCase().replace(/-/g, '_');
}

/** A gateway error answer with a status outside the domain error table (502) or with relayed details. */
function answer(status: number, body: ErrorBody): HttpException {
  return new HttpException(body, status);
}

/** How a caller retries safely: a write it sent may have been done, so it sends the same key again and gets that first result. */
const RETRY_WITH_SAME_KEY = 'with the same Idempotency-Key where the request has one';

/**
 * The upstream could not be reached or did not answer in time: 503 (with Retry-After, as every
 * 503), the caller may retry. The request may have reached the upstream and been done there, so
 * the retry carries the same Idempotency-Key.
 */
export function transportFailure(service: string, failure: TransportFailure): HttpException {
  return failure === 'timeout'
    ? answer(503, { code: `${codeName(service)}_TIMEOUT`, message: `The ${service} service did not answer in time; retry shortly ${RETRY_WITH_SAME_KEY}` })
    : answer(503, { code: `${codeName(service)}_UNAVAILABLE`, message: `The ${service} service is unavailable; retry shortly ${RETRY_WITH_SAME_KEY}` });
}

/**
 * The gateway refused the call before sending it, because too many calls to the upstream are in
 * flight and queued (see UpstreamLimiter): 429 `<SERVICE>_BUSY` with Retry-After. Nothing reached
 * the upstream, so the caller simply tries again later.
 */
export function upstreamBusy(service: string, retryAfterSeconds: number): DomainError {
  return new DomainError(
    DomainErrorType.RateLimited,
    `${codeName(service)}_BUSY`,
    `The ${service} service is busy and the request was not sent to it; retry in ${retryAfterSeconds} s ${RETRY_WITH_SAME_KEY}`,
    undefined,
    { retryAfterSeconds },
  );
}

/** The upstream answered with something the gateway cannot use (bad JSON, unexpected shape): 502. */
export function badUpstreamResponse(service: string, why: string): HttpException {
  return answer(502, { code: `${codeName(service)}_BAD_RESPONSE`, message: `The ${service} service answered unexpectedly: ${why}` });
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string';
}

/** A field path in the gateway's own notation: `thresholds[1].discount` becomes `thresholds.1.discount`. */
export function gatewayFieldPath(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

function details(value: unknown): ErrorDetail[] | undefined {
  const raw = (value as { details?: unknown }).details;
  if (!Array.isArray(raw)) return undefined;
  const clean = raw.filter(
    (d): d is ErrorDetail => typeof d === 'object' && d !== null && typeof (d as ErrorDetail).field === 'string' && typeof (d as ErrorDetail).reason === 'string',
  );
  return clean.length > 0 ? clean.map(({ field, reason }) => ({ field: gatewayFieldPath(field), reason })) : undefined;
}

/**
 * Maps an upstream's non-2xx answer to the gateway's: business 4xx (bad input, not found, conflict,
 * unprocessable, and `alsoRelayed` where the caller asked) keep their status and the upstream's code, message and details (field paths in the
 * gateway's dotted notation, other keys dropped); 503 and 429 mean
 * "try again" (503); anything else (5xx, or 401/403 that only a misconfigured gateway can cause) is 502.
 */
export function upstreamRejection(service: string, status: number, body: unknown, alsoRelayed: readonly number[] = []): HttpException {
  // The upstream refused the gateway's own credential: a misconfiguration here, never the caller's 401.
  if (isServiceCredentialRefusal(status, body)) {
    return answer(502, { code: `${codeName(service)}_ERROR`, message: `The ${service} service refused the gateway's service credential` });
  }
  if (RELAYED_STATUSES.has(status) || alsoRelayed.includes(status)) {
    if (isErrorBody(body)) {
      const relayed: ErrorBody = { code: body.code, message: body.message };
      const fieldDetails = details(body);
      if (fieldDetails) relayed.details = fieldDetails;
      return answer(status, relayed);
    }
    return answer(status, { code: `${codeName(service)}_REJECTED`, message: `The ${service} service rejected the request (HTTP ${status})` });
  }
  if (status === 503 || status === 429) return transportFailure(service, 'unreachable');
  return answer(502, { code: `${codeName(service)}_ERROR`, message: `The ${service} service failed (HTTP ${status})` });
}
