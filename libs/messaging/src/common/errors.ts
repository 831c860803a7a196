/** Base of the messaging errors: every one carries a stable code. */
export class MessagingError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A payload that fails its contract; never written to the outbox, never handed to a handler. */
export class EventValidationError extends MessagingError {
  /** Marks the error as not worth retrying when a handler throws it. */
  readonly permanent = true;

  constructor(readonly type: string, readonly errors: string[]) {
    super('EVENT_VALIDATION_FAILED', `invalid ${type} payload: ${errors.join('; ')}`);
  }
}

/** Thrown by a handler when retrying cannot help; the event goes to the DLQ at once. */
export class PermanentEventError extends MessagingError {
  /** Marks the error as not worth retrying. */
  readonly permanent = true;

  constructor(message: string, code = 'EVENT_PERMANENT') {
    super(code, message);
  }
}

/** A contract used without being declared to the messaging module (its topic may not exist). */
export class UndeclaredContractError extends MessagingError {
  constructor(type: string) {
    super('EVENT_NOT_DECLARED', `event ${type} is not declared in the messaging options (publishes/consumes)`);
  }
}

/** True when an error says retrying is pointless (PermanentEventError or any error with `permanent = true`). */
export function isPermanentError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}

/** A readable message from anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
