import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { envInt, ServiceEnv } from '@omni/platform';

const MS = (min: number, max: number) => `must be an integer number of milliseconds between ${min} and ${max}`;
const CHANNEL = 'must be a channel code (1-32 characters of a-z 0-9 -)';
const URL_RULE = 'must be an http(s) URL, or empty to leave the platform off';

/** Environment of the o2o-connector service (validated at start-up; a bad value stops it naming the variable). */
export class O2oConnectorEnv extends ServiceEnv {
  /** The delivery platform's API base URL; empty leaves it off. */
  @Matches(/^(https?:\/\/[^\s]+)?$/, { message: URL_RULE })
  O2O_DELIVERY_BASE_URL = '';

  /** App key the delivery platform issued us. */
  @ValidateIf((env: O2oConnectorEnv) => env.O2O_DELIVERY_BASE_URL !== '')
  @IsString({ message: 'must be set when O2O_DELIVERY_BASE_URL is' })
  @Matches(/^\S{1,128}$/, { message: 'must be set when O2O_DELIVERY_BASE_URL is (1-128 characters, no spaces)' })
  O2O_DELIVERY_APP_KEY = '';

  /** Shared secret of the delivery platform's request and webhook signatures. */
  @ValidateIf((env: O2oConnectorEnv) => env.O2O_DELIVERY_BASE_URL !== '')
  @Matches(/^\S{8,256}$/, { message: 'must be set when O2O_DELIVERY_BASE_URL is (8-256 characters, no spaces)' })
  O2O_DELIVERY_SECRET = '';

  /** Our channel code for the delivery platform (its ATP in stock-changed, its prices in price-changed). */
  @Matches(/^[a-z0-9-]{1,32}$/, { message: CHANNEL })
  O2O_DELIVERY_CHANNEL = 'eleme';

  /** Calls per second the delivery platform allows us. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 1 and 10000' })
  @Min(1, { message: 'must be an integer between 1 and 10000' })
  @Max(10_000, { message: 'must be an integer between 1 and 10000' })
  O2O_DELIVERY_RATE_PER_SECOND = 20;

  /** The marketplace's API base URL; empty leaves it off. */
  @Matches(/^(https?:\/\/[^\s]+)?$/, { message: URL_RULE })
  O2O_MARKETPLACE_BASE_URL = '';

  /** App key the marketplace issued us. */
  @ValidateIf((env: O2oConnectorEnv) => env.O2O_MARKETPLACE_BASE_URL !== '')
  @Matches(/^\S{1,128}$/, { message: 'must be set when O2O_MARKETPLACE_BASE_URL is (1-128 characters, no spaces)' })
  O2O_MARKETPLACE_APP_KEY = '';

  /** Shared secret of the marketplace's signatures. */
  @ValidateIf((env: O2oConnectorEnv) => env.O2O_MARKETPLACE_BASE_URL !== '')
  @Matches(/^\S{8,256}$/, { message: 'must be set when O2O_MARKETPLACE_BASE_URL is (8-256 characters, no spaces)' })
  O2O_MARKETPLACE_SECRET = '';

  /** Our channel code for the marketplace. */
  @Matches(/^[a-z0-9-]{1,32}$/, { message: CHANNEL })
  O2O_MARKETPLACE_CHANNEL = 'tmall';

  /** Calls per second the marketplace allows us. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 1 and 10000' })
  @Min(1, { message: 'must be an integer between 1 and 10000' })
  @Max(10_000, { message: 'must be an integer between 1 and 10000' })
  O2O_MARKETPLACE_RATE_PER_SECOND = 20;

  /** How long a SKU × store's first change waits for later ones before its push. */
  @Transform(envInt)
  @IsInt({ message: MS(0, 60_000) })
  @Min(0, { message: MS(0, 60_000) })
  @Max(60_000, { message: MS(0, 60_000) })
  O2O_PUSH_WINDOW_MS = 200;

  /** First backoff after a failed push; doubles up to O2O_PUSH_RETRY_MAX_MS. */
  @Transform(envInt)
  @IsInt({ message: MS(1, 60_000) })
  @Min(1, { message: MS(1, 60_000) })
  @Max(60_000, { message: MS(1, 60_000) })
  O2O_PUSH_RETRY_BASE_MS = 100;

  /** Longest backoff between push attempts. */
  @Transform(envInt)
  @IsInt({ message: MS(1, 600_000) })
  @Min(1, { message: MS(1, 600_000) })
  @Max(600_000, { message: MS(1, 600_000) })
  O2O_PUSH_RETRY_MAX_MS = 10_000;

  /** Calls in flight to one platform at once (slow answers must not stall the rest). */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 1 and 64' })
  @Min(1, { message: 'must be an integer between 1 and 64' })
  @Max(64, { message: 'must be an integer between 1 and 64' })
  O2O_PUSH_CONCURRENCY = 4;

  /** Per-call timeout towards a platform. */
  @Transform(envInt)
  @IsInt({ message: MS(100, 60_000) })
  @Min(100, { message: MS(100, 60_000) })
  @Max(60_000, { message: MS(100, 60_000) })
  O2O_PLATFORM_TIMEOUT_MS = 5_000;

  /** How far a webhook's timestamp may be from our clock before it is refused as stale. */
  @Transform(envInt)
  @IsInt({ message: MS(1_000, 3_600_000) })
  @Min(1_000, { message: MS(1_000, 3_600_000) })
  @Max(3_600_000, { message: MS(1_000, 3_600_000) })
  O2O_WEBHOOK_MAX_SKEW_MS = 300_000;

  /** The order service's internal address, where platform orders become our orders. */
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  O2O_ORDER_URL = 'http://127.0.0.1:3003';

  /**
   * Secret of the order service's payment callback (its ORDER_PAYMENT_SECRET): a platform order is paid
   * on the platform, so the connector reports that payment as its provider. Required in production.
   */
  @ValidateIf((env: O2oConnectorEnv) => env.NODE_ENV === 'production' || env.O2O_ORDER_PAYMENT_SECRET !== '')
  @Matches(/^\S{16,256}$/, { message: 'must be 16-256 characters without spaces (the order service\'s ORDER_PAYMENT_SECRET)' })
  O2O_ORDER_PAYMENT_SECRET = '';

  /** Commission the delivery platform takes, in basis points (800 = 8 %), as agreed in its contract. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 0 and 10000 (basis points)' })
  @Min(0, { message: 'must be an integer between 0 and 10000 (basis points)' })
  @Max(10_000, { message: 'must be an integer between 0 and 10000 (basis points)' })
  O2O_DELIVERY_COMMISSION_BPS = 800;

  /** Commission the marketplace takes, in basis points. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 0 and 10000 (basis points)' })
  @Min(0, { message: 'must be an integer between 0 and 10000 (basis points)' })
  @Max(10_000, { message: 'must be an integer between 0 and 10000 (basis points)' })
  O2O_MARKETPLACE_COMMISSION_BPS = 500;

  /** UTC hour at which yesterday's settlement is reconciled each day; -1 turns the schedule off (staff can still run it). */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between -1 and 23' })
  @Min(-1, { message: 'must be an integer between -1 and 23' })
  @Max(23, { message: 'must be an integer between -1 and 23' })
  O2O_RECONCILIATION_HOUR_UTC = 4;
}

/** Used outside production when O2O_ORDER_PAYMENT_SECRET is unset: the order service's own development secret. */
export const DEV_ORDER_PAYMENT_SECRET = 'omni-dev-payment-secret';

/** One configured platform, as the composition root builds its adapter and push engine. */
export interface PlatformSettings {
  kind: 'delivery' | 'marketplace';
  /** Our channel code for it; also the platform's name in routes, tables and metrics. */
  channel: string;
  baseUrl: string;
  appKey: string;
  secret: string;
  ratePerSecond: number;
  /** Commission agreed with the platform, basis points. */
  commissionBps: number;
}

/** The platforms switched on by the environment. */
export function platformSettingsFrom(env: O2oConnectorEnv): PlatformSettings[] {
  const platforms: PlatformSettings[] = [];
  if (env.O2O_DELIVERY_BASE_URL) {
    platforms.push({ kind: 'delivery', channel: env.O2O_DELIVERY_CHANNEL, baseUrl: env.O2O_DELIVERY_BASE_URL, appKey: env.O2O_DELIVERY_APP_KEY, secret: env.O2O_DELIVERY_SECRET, ratePerSecond: env.O2O_DELIVERY_RATE_PER_SECOND, commissionBps: env.O2O_DELIVERY_COMMISSION_BPS });
  }
  if (env.O2O_MARKETPLACE_BASE_URL) {
    platforms.push({ kind: 'marketplace', channel: env.O2O_MARKETPLACE_CHANNEL, baseUrl: env.O2O_MARKETPLACE_BASE_URL, appKey: env.O2O_MARKETPLACE_APP_KEY, secret: env.O2O_MARKETPLACE_SECRET, ratePerSecond: env.O2O_MARKETPLACE_RATE_PER_SECOND, commissionBps: env.O2O_MARKETPLACE_COMMISSION_BPS });
  }
  return platforms;
}
