/**
 * Counters and gauges the messaging core reports; the Nest side maps them onto prom-client so the
 * core stays free of a metrics library. Every method is optional.
 */
export interface MessagingMetrics {
  /** Events published by the relay. */
  published?(topic: string, count: number): void;
  /** Events whose publish attempt failed (they stay in the outbox). */
  publishFailed?(topic: string, count: number): void;
  /** Events consumed by a consumer group: applied, skipped as duplicates, or answered by a batch screen. */
  consumed?(topic: string, group: string, outcome: 'applied' | 'duplicate' | 'answered'): void;
  /** Events sent to a dead-letter topic. */
  deadLettered?(topic: string, group: string): void;
  /** Handler retries after a transient error. */
  retried?(topic: string, group: string): void;
  /** Age in seconds of the oldest unsent outbox row (0 when empty). */
  outboxLag?(seconds: number): void;
}

/** The structured logger the core writes to; the Nest side passes its own. */
export interface MessagingLogger {
  /** Something worth knowing in normal operation. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something went wrong and is being handled (retry, DLQ). */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Something went wrong and needs a human. */
  error(message: string, fields?: Record<string, unknown>): void;
}

function write(level: string, message: string, fields?: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), component: 'messaging', msg: message, ...fields })}\n`);
}

/** Default logger: JSON lines on stderr for warnings and errors only. */
export const stderrLogger: MessagingLogger = {
  info: () => undefined,
  warn: (m, f) => write('warn', m, f),
  error: (m, f) => write('error', m, f),
};

/** A logger that drops everything (tests that expect failures). */
export const silentLogger: MessagingLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
