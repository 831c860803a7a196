import { DomainError, DomainErrorType, ErrorDetail, ValidationFailedError } from '@omni/platform';

/**
 * Turns the domain validator's "body.thresholds[1].discount: must be ..." lines into a 400 whose
 * details name each field relative to the request body.
 */
export function definitionErrors(errors: readonly string[], root = 'body'): ValidationFailedError {
  const details: ErrorDetail[] = errors.map((line) => {
    const at = line.indexOf(': ');
    const path = at < 0 ? root : line.slice(0, at);
    const reason = at < 0 ? line : line.slice(at + 2);
    const field = path === root ? '(body)' : path.startsWith(`${root}.`) ? path.slice(root.length + 1) : path;
    return { field, reason };
  });
  return new ValidationFailedError(details);
}

/** A 400 for one field. */
export function fieldError(field: string, reason: string): ValidationFailedError {
  return new ValidationFailedError([{ field, reason }]);
}

/** A 404 with a code. */
export function notFound(code: string, message: string): DomainError {
  return new DomainError(DomainErrorType.NotFound, code, message);
}

/** A 409 with a code. */
export function conflict(code: string, message: string, details?: ErrorDetail[]): DomainError {
  return new DomainError(DomainErrorType.Conflict, code, message, details);
}
