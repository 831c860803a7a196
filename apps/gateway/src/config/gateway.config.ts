import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, NotEquals, ValidateBy, ValidateIf } from 'class-validator';
import { envBool, envInt, ServiceEnv } from '@omni/platform';
import type { UpstreamLimits } from '../upstream/upstream.limiter';

/** Signing secret used outside production so a fresh checkout runs; production must set its own. */
export const DEV_STAFF_JWT_SECRET = 'omni-dev-staff-jwt-secret-not-for-production';

/** Member token signing secret used outside production; production must set its own. */
export const DEV_MEMBER_JWT_SECRET = 'omni-dev-member-jwt-secret-not-for-production';

/** `channel=kind` pairs: which channel's key may name a member by that kind of channel account. */
const CHANNEL_ACCOUNT_ENTRY = /^[a-z0-9-]{1,32}=(marketplace|social|app)$/;

const URL_RULE = /^https?:\/\/[^\s/]+(:\d+)?\/?$/;
const URL_MESSAGE = 'must be an http(s) base URL like http://catalog:3001';
const MS = 'must be a whole number of milliseconds between 50 and 60000';

/**
 * Dev seed entries: `channel=key` or `channel@locationId=key`, comma-separated. Keys are at least
 * 16 characters of [A-Za-z0-9._-]; a location binds the key to one store (POS, shelf labels).
 */
export const DEV_API_KEY_ENTRY = /^[a-z0-9-]{1,32}(@[0-9a-fA-F-]{36})?=[A-Za-z0-9._-]{16,128}$/;

/** Environment of the gateway service (validated at start-up). */
export class GatewayEnv extends ServiceEnv {
  /** Catalog's internal API (product writes for staff). */
  @Matches(URL_RULE, { message: URL_MESSAGE })
  CATALOG_URL = 'http://127.0.0.1:3001';

  /** Inventory's internal API (availability, stock documents). */
  @Matches(URL_RULE, { message: URL_MESSAGE })
  INVENTORY_URL = 'http://127.0.0.1:3002';

  /** Order's internal API (placing, reading, cancelling orders; pickups; returns). */
  @Matches(URL_RULE, { message: URL_MESSAGE })
  ORDER_URL = 'http://127.0.0.1:3003';

  /** Pricing's internal API (quotes, price lists, rules). */
  @Matches(URL_RULE, { message: URL_MESSAGE })
  PRICING_URL = 'http://127.0.0.1:3004';

  /** Member's internal API (profiles, wallets, sign-in, store QR logins). */
  @Matches(URL_RULE, { message: URL_MESSAGE })
  MEMBER_URL = 'http://127.0.0.1:3005';

  /** O2O connector's internal API. */
  @Matches(URL_RULE, { message: URL_MESSAGE })
  O2O_CONNECTOR_URL = 'http://127.0.0.1:3006';

  /** How long one upstream call may take before the gateway answers 503 (placing an order: ORDER_PLACE_TIMEOUT_MS). */
  @Transform(envInt)
  @IsInt({ message: MS })
  @Min(50, { message: MS })
  @Max(60_000, { message: MS })
  UPSTREAM_TIMEOUT_MS = 3_000;

  /**
   * How long the order service may take to answer POST /orders before the gateway answers 503
   * ORDER_TIMEOUT. The order service answers once the saga has decided or after its own
   * ORDER_DECISION_WAIT_MS (2 s by default; then 202, still pending), after routing (up to
   * ORDER_ROUTING_TIMEOUT_MS, 300 ms) and up to two waits for a database connection (3 s each at
   * most, else its own 503): 10 s stays above all of that, so a decision that arrives in time is
   * never turned into a 503 here. Raise it with ORDER_DECISION_WAIT_MS (deploy/compose.spec.ts and
   * deploy/k8s-production.spec.ts hold the two together).
   */
  @Transform(envInt)
  @IsInt({ message: MS })
  @Min(50, { message: MS })
  @Max(60_000, { message: MS })
  ORDER_PLACE_TIMEOUT_MS = 10_000;

  /**
   * Calls one gateway replica has in flight to each upstream at once (catalog, inventory, order,
   * pricing, member, o2o-connector each get this many); further calls queue. The order saga
   * carries 35-40 orders/s on the 2-core bench machine, so 32 placements in flight are about
   * a second of its work: more only lengthens the order service's own queue, past its decision wait.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 1 and 10000' })
  @Min(1, { message: 'must be an integer between 1 and 10000' })
  @Max(10_000, { message: 'must be an integer between 1 and 10000' })
  UPSTREAM_MAX_IN_FLIGHT = 32;

  /** Calls that may wait for a slot per upstream; past them the gateway answers 429 `<SERVICE>_BUSY` with Retry-After, sending nothing. 0 queues none. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 0 and 100000' })
  @Min(0, { message: 'must be an integer between 0 and 100000' })
  @Max(100_000, { message: 'must be an integer between 0 and 100000' })
  UPSTREAM_MAX_QUEUED = 64;

  /** The longest a call waits for a slot; a call expected to wait longer (or that has) is answered 429 `<SERVICE>_BUSY` instead, never one already sent. */
  @Transform(envInt)
  @IsInt({ message: MS })
  @Min(50, { message: MS })
  @Max(60_000, { message: MS })
  UPSTREAM_MAX_QUEUE_WAIT_MS = 2_000;

  /** HS256 secret of staff tokens; production must set a real one of at least 32 characters. */
  @ValidateIf((env: GatewayEnv) => env.NODE_ENV === 'production')
  @IsString({ message: 'must be a string' })
  @NotEquals(DEV_STAFF_JWT_SECRET, { message: 'must be set to a production secret' })
  @MinLength(32, { message: 'must be at least 32 characters' })
  STAFF_JWT_SECRET = DEV_STAFF_JWT_SECRET;

  /** Issuer every staff token must name. */
  @Matches(/^[\w.:/-]{1,128}$/, { message: 'must be 1-128 characters of letters, digits and . : / - _' })
  STAFF_JWT_ISSUER = 'omni-staff';

  /** HS256 secret of member tokens and store QR login codes (the gateway signs and verifies both); production must set one of at least 32 characters. */
  @ValidateIf((env: GatewayEnv) => env.NODE_ENV === 'production')
  @IsString({ message: 'must be a string' })
  @NotEquals(DEV_MEMBER_JWT_SECRET, { message: 'must be set to a production secret' })
  @MinLength(32, { message: 'must be at least 32 characters' })
  MEMBER_JWT_SECRET = DEV_MEMBER_JWT_SECRET;

  /** Issuer every member token and store login code names. */
  @Matches(/^[\w.:/-]{1,128}$/, { message: 'must be 1-128 characters of letters, digits and . : / - _' })
  MEMBER_JWT_ISSUER = 'omni-member';

  /** Lifetime of a member access token (the refresh token gets the next one). */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer number of seconds between 60 and 3600' })
  @Min(60, { message: 'must be an integer number of seconds between 60 and 3600' })
  @Max(3600, { message: 'must be an integer number of seconds between 60 and 3600' })
  MEMBER_ACCESS_TTL_SECONDS = 900;

  /** Lifetime of a store QR login code. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer number of seconds between 10 and 300' })
  @Min(10, { message: 'must be an integer number of seconds between 10 and 300' })
  @Max(300, { message: 'must be an integer number of seconds between 10 and 300' })
  STORE_LOGIN_CODE_TTL_SECONDS = 60;

  /** Channel integrations that may name a member by channel account id (X-Channel-Account-Id): `channel=kind`, comma-separated; empty allows none. */
  @ValidateBy({
    name: 'channelAccountKinds',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && (value.trim() === '' || value.split(',').every((entry) => CHANNEL_ACCOUNT_ENTRY.test(entry.trim()))),
      defaultMessage: () => 'must be a comma-separated list of channel=kind (kind: marketplace, social or app), or empty',
    },
  })
  CHANNEL_ACCOUNT_KINDS = 'tmall=marketplace,wechat=social';

  /** Requests one channel key or staff member may make per minute unless the key sets its own limit. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 1 and 1000000' })
  @Min(1, { message: 'must be an integer between 1 and 1000000' })
  @Max(1_000_000, { message: 'must be an integer between 1 and 1000000' })
  RATE_LIMIT_PER_MINUTE = 600;

  /** How long a verified API key is trusted before it is read again (revocation delay). */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds between 0 and 300000' })
  @Min(0, { message: 'must be a whole number of milliseconds between 0 and 300000' })
  @Max(300_000, { message: 'must be a whole number of milliseconds between 0 and 300000' })
  API_KEY_CACHE_TTL_MS = 10_000;

  /**
   * Refuse an order at once (409 SOLD_OUT, no pricing, member or order call) when stock-changed last
   * said one of its SKUs has no ATP on the caller's channel (see apps/gateway/src/sold-out). Off:
   * every order goes to the order service, and the gateway reads no stock-changed.
   */
  @Transform(envBool)
  @IsBoolean({ message: 'must be true or false' })
  SOLD_OUT_FAST_PATH = true;

  /**
   * How long the gateway remembers (in Redis) that an order's Idempotency-Key went to the order
   * service, so a retry of it is never refused as sold out but gets the order service's stored
   * answer. The order service keeps its keys as long as the order; past this a retry during a sell-out
   * is judged afresh (409). Default 14 days, as DEDUP_RETENTION_MS.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds between 3600000 (one hour) and 31536000000 (365 days)' })
  @Min(3_600_000, { message: 'must be a whole number of milliseconds between 3600000 (one hour) and 31536000000 (365 days)' })
  @Max(31_536_000_000, { message: 'must be a whole number of milliseconds between 3600000 (one hour) and 31536000000 (365 days)' })
  SOLD_OUT_KEY_RETENTION_MS = 14 * 86_400_000;

  /** Development only: channel keys to create at start-up (see {@link DEV_API_KEY_ENTRY}); refused in production. */
  @IsOptional()
  @ValidateBy({
    name: 'devApiKeys',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as GatewayEnv).NODE_ENV !== 'production' &&
        typeof value === 'string' &&
        value.split(',').every((entry) => DEV_API_KEY_ENTRY.test(entry.trim())),
      defaultMessage: (args) =>
        (args?.object as GatewayEnv).NODE_ENV === 'production'
          ? 'must not be set when NODE_ENV=production'
          : 'must be a comma-separated list of channel=key or channel@locationId=key (keys: 16-128 characters of A-Z a-z 0-9 . _ -)',
    },
  })
  DEV_API_KEYS?: string;
}

/** The limits of each upstream's calls from one replica, from {@link GatewayEnv}. */
export function upstreamLimits(env: GatewayEnv): UpstreamLimits {
  return { maxInFlight: env.UPSTREAM_MAX_IN_FLIGHT, maxQueued: env.UPSTREAM_MAX_QUEUED, maxQueueWaitMs: env.UPSTREAM_MAX_QUEUE_WAIT_MS };
}

/** The account kind each channel may name members by, from {@link GatewayEnv.CHANNEL_ACCOUNT_KINDS}. */
export function channelAccountKinds(env: GatewayEnv): ReadonlyMap<string, string> {
  return new Map(
    env.CHANNEL_ACCOUNT_KINDS.split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0)
      .map((entry) => entry.split('=') as [string, string]),
  );
}
