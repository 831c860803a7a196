import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { envInt, FAULT_SPEC_PATTERN, ServiceEnv } from '@omni/platform';

/** Used outside production when ORDER_PAYMENT_SECRET is unset, so local runs and tests need no secret. */
export const DEV_PAYMENT_SECRET = 'omni-dev-payment-secret';

/** Environment of the order service (validated at start-up). */
export class OrderEnv extends ServiceEnv {
  /**
   * Saga replies (tcc-branch-replied, 6 partitions keyed by order) are handled a partition per
   * lane, so one slow reply no longer holds up every other order's decision.
   */
  override KAFKA_CONSUMER_CONCURRENCY = 6;

  /** Room for the reply lanes, the recovery loop and the HTTP requests at once. */
  override DB_POOL_SIZE = 20;

  /** HMAC secret shared with the payment provider; required (≥ 16 characters) in production. */
  @ValidateIf((env: OrderEnv) => env.NODE_ENV === 'production' || env.ORDER_PAYMENT_SECRET !== '')
  @IsString({ message: 'must be a string' })
  @MinLength(16, { message: 'must be at least 16 characters (required when NODE_ENV=production)' })
  ORDER_PAYMENT_SECRET = '';

  /** How long a reserved order waits for payment, counted from the moment it is reserved, ms. */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000 ms' })
  ORDER_PAYMENT_WINDOW_MS = 15 * 60_000;

  /**
   * How long the saga holds a reservation after the payment deadline, for a payment the provider
   * captured in time whose callback reaches us late; past it the order is cancelled and a late
   * payment is refunded, ms.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds between 0 and 3600000' })
  @Min(0, { message: 'must be a whole number of milliseconds between 0 and 3600000' })
  @Max(3_600_000, { message: 'must be a whole number of milliseconds between 0 and 3600000' })
  ORDER_PAYMENT_GRACE_MS = 60_000;

  /** How far in our future a provider's capture time may be and still be believed (clock skew), ms. */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds between 0 and 600000' })
  @Min(0, { message: 'must be a whole number of milliseconds between 0 and 600000' })
  @Max(600_000, { message: 'must be a whole number of milliseconds between 0 and 600000' })
  ORDER_PAYMENT_CLOCK_SKEW_MS = 30_000;

  /**
   * By when every participant must have answered an order's Try, counted from its creation; an
   * order not reserved by then is cancelled as not-decided, ms.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds between 1000 and 3600000' })
  @Min(1000, { message: 'must be a whole number of milliseconds between 1000 and 3600000' })
  @Max(3_600_000, { message: 'must be a whole number of milliseconds between 1000 and 3600000' })
  ORDER_DECISION_TIMEOUT_MS = 60_000;

  /**
   * How long POST /orders waits for the reservation decision before answering 202, ms. The
   * gateway's ORDER_PLACE_TIMEOUT_MS must stay above it plus routing and database waits (the deploy
   * specs check both together): a gateway giving up first turns a decision made in time into a 503.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0, { message: 'must be >= 0' })
  @Max(30_000, { message: 'must be <= 30000' })
  ORDER_DECISION_WAIT_MS = 2000;

  /** Inventory's internal HTTP base URL; when set, shipping orders are routed by stock per location. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  ORDER_INVENTORY_URL?: string;

  /** Time budget of the routing stock lookup; past it the order falls back to inventory's own choice, ms. */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10, { message: 'must be at least 10 ms' })
  ORDER_ROUTING_TIMEOUT_MS = 300;

  /** Shortest time between recovery scans, ms: a visit that falls due waits at most this long. */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10, { message: 'must be at least 10 ms' })
  ORDER_TCC_RECOVERY_INTERVAL_MS = 500;

  /**
   * Longest the recovery loop sleeps when no visit is due sooner, ms: how late a replica may see a
   * visit another replica scheduled (its own wake it on time). Never below the scan interval.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10, { message: 'must be at least 10 ms' })
  ORDER_TCC_RECOVERY_MAX_IDLE_MS = 5_000;

  /** Lease a replica holds on a transaction it recovers, ms. */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be at least 100 ms' })
  ORDER_TCC_LEASE_MS = 10_000;

  /** First resend delay of an unanswered Confirm/Cancel, ms (doubles up to ORDER_TCC_RETRY_MAX_MS). */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10, { message: 'must be at least 10 ms' })
  ORDER_TCC_RETRY_INITIAL_MS = 1000;

  /** Cap of the Confirm/Cancel resend backoff, ms. */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10, { message: 'must be at least 10 ms' })
  ORDER_TCC_RETRY_MAX_MS = 60_000;

  /** First resend delay of an unanswered Try, ms (doubles per attempt up to ORDER_TCC_RETRY_MAX_MS). */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10, { message: 'must be at least 10 ms' })
  ORDER_TCC_TRY_RESEND_MS = 5000;

  /** Failed Confirm/Cancel attempts before the alert metric and error log. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  ORDER_TCC_ALERT_AFTER = 5;

  /** Time a saga may spend confirming or cancelling before the alert metric and error log, ms. */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000 ms' })
  ORDER_TCC_ALERT_AFTER_MS = 60_000;

  /**
   * While the oldest unsent outbox row is older than this (the broker is unreachable, or the relay
   * is far behind), the recovery loop resends nothing: a copy would queue behind the original, ms.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be at least 100 ms' })
  ORDER_TCC_BACKLOG_HOLD_MS = 2000;

  /** Test-only fault injection: comma-separated points where the process SIGKILLs itself (see fault-injector.ts). */
  @IsOptional()
  @Matches(FAULT_SPEC_PATTERN, { message: 'must be a comma-separated list of point[:n]' })
  ORDER_FAULT_AT?: string;
}
