/** Upper bound of any single readiness check, so /health/ready answers even when a dependency hangs. */
export const READINESS_CHECK_TIMEOUT_MS = 1_500;

/** Something readiness asks; the same shape as MessagingHealth from @omni/messaging. */
export interface ReadinessProbe {
  check(timeoutMs?: number): Promise<{ up: boolean; details?: Record<string, unknown> }>;
}

/** Resolves with `work`'s result or rejects after `ms` with a message naming `what`. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A short, log-safe description of why a check failed. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
