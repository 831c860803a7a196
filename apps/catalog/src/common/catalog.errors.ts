import { DomainError, DomainErrorType } from '@omni/platform';

/** 404 for an unknown resource, naming the field that pointed at it. */
export function notFound(code: string, what: string, id: string, field = 'id'): DomainError {
  return new DomainError(DomainErrorType.NotFound, code, `${what} ${id} does not exist`, [{ field, reason: `unknown ${what.toLowerCase()}` }]);
}

/** 409 for a write that clashes with current state, naming the field. */
export function conflict(code: string, message: string, field: string, reason: string): DomainError {
  return new DomainError(DomainErrorType.Conflict, code, message, [{ field, reason }]);
}

/** 400 for input that passed the DTO but refers to something invalid (e.g. an unknown category). */
export function invalid(code: string, message: string, field: string, reason: string): DomainError {
  return new DomainError(DomainErrorType.InvalidInput, code, message, [{ field, reason }]);
}
