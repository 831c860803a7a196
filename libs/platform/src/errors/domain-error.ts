/** Kinds of exceptional outcome; each maps to exactly one HTTP status in {@link HTTP_STATUS_BY_ERROR_TYPE}. */
export enum DomainErrorType {
  InvalidInput = 'invalid_input',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  NotAllowed = 'not_allowed',
  PayloadTooLarge = 'payload_too_large',
  RateLimited = 'rate_limited',
  Unavailable = 'unavailable',
  Unexpected = 'unexpected',
}

/** The one place where an error type becomes an HTTP status. */
export const HTTP_STATUS_BY_ERROR_TYPE: Readonly<Record<DomainErrorType, number>> = Object.freeze({
  [DomainErrorType.InvalidInput]: 400,
  [DomainErrorType.Unauthorized]: 401,
  [DomainErrorType.Forbidden]: 403,
  [DomainErrorType.NotFound]: 404,
  [DomainErrorType.Conflict]: 409,
  [DomainErrorType.NotAllowed]: 422,
  [DomainErrorType.PayloadTooLarge]: 413,
  [DomainErrorType.RateLimited]: 429,
  [DomainErrorType.Unavailable]: 503,
  [DomainErrorType.Unexpected]: 500,
});

/** One field-level problem reported with an error (e.g. a failed validation rule). */
export interface ErrorDetail {
  field: string;
  reason: string;
}

/** The body every error response has. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: ErrorDetail[];
}

/**
 * An exceptional case with a stable machine-readable code (e.g. `ORDER_NOT_FOUND`). Transports map
 * it once: HTTP through the platform exception filter, Kafka through the retry-or-DLQ classifier.
 */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';

  /** Seconds after which the client may try again (answered as Retry-After), for overload and rate limits. */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly type: DomainErrorType,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterSeconds));
  }

  /** The HTTP status this error is answered with. */
  get httpStatus(): number {
    return HTTP_STATUS_BY_ERROR_TYPE[this.type];
  }

  /** The response body; never includes the cause or stack. */
  toBody(): ErrorBody {
    return this.details && this.details.length > 0
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

/** Input that failed DTO validation; `details` names each field and rule. */
export class ValidationFailedError extends DomainError {
  override readonly name = 'ValidationFailedError';

  constructor(details: ErrorDetail[]) {
    super(
      DomainErrorType.InvalidInput,
      'VALIDATION_FAILED',
      `Request validation failed: ${details.map((d) => d.field).join(', ')}`,
      details,
    );
  }
}
