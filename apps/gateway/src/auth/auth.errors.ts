import { DomainError, DomainErrorType } from '@omni/platform';

/** No usable credentials on a route that needs them. */
export function unauthenticated(message: string): DomainError {
  return new DomainError(DomainErrorType.Unauthorized, 'UNAUTHENTICATED', message);
}

/** Credentials are fine but do not allow this route. */
export function forbidden(code: string, message: string): DomainError {
  return new DomainError(DomainErrorType.Forbidden, code, message);
}
