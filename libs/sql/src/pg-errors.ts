/** Postgres unique_violation. */
export const PG_UNIQUE_VIOLATION = '23505';
/** Postgres foreign_key_violation. */
export const PG_FOREIGN_KEY_VIOLATION = '23503';
/** Postgres check_violation. */
export const PG_CHECK_VIOLATION = '23514';
/** Postgres serialization_failure. */
export const PG_SERIALIZATION_FAILURE = '40001';
/** Postgres deadlock_detected. */
export const PG_DEADLOCK_DETECTED = '40P01';

/** The SQLSTATE of a driver error (pg's `code`, or the one TypeORM wraps in `driverError`), when there is one. */
export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null | undefined;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when Postgres rolled the transaction back only because of a concurrent one: it did nothing and may simply run again. */
export function isRetryableConflict(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code === PG_DEADLOCK_DETECTED || code === PG_SERIALIZATION_FAILURE;
}
