/** A bigint column (returned by pg as text) as a safe integer. */
export function toInt(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${String(value)}`);
  return n;
}

/** An optional timestamptz column as UTC ISO-8601. */
export function isoOrUndefined(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : new Date(value as string | Date).toISOString();
}
