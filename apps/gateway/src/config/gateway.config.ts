import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, NotEquals, ValidateBy, ValidateIf } from 'class-validator';
import { envInt, ServiceEnv } from '@omni/platform';

/** Signing secret used outside production so a fresh checkout runs; production must set its own. */
export const DEV_STAFF_JWT_SECRET = 'omni-dev-staff-jwt-secret-not-for-production';

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

  /** Member's internal API. */
  @Matches(URL_RULE, { message: URL_MESSAGE })
  MEMBER_URL = 'http://127.0.0.1:3005';

  /** O2O connector's internal API. */
  @Matches(URL_RULE, { message: URL_MESSAGE })
  O2O_CONNECTOR_URL = 'http://127.0.0.1:3006';

  /** How long one upstream call may take before the gateway answers 503. */
  @Transform(envInt)
  @IsInt({ message: MS })
  @Min(50, { message: MS })
  @Max(60_000, { message: MS })
  UPSTREAM_TIMEOUT_MS = 3_000;

  /** HS256 secret of staff tokens; production must set a real one of at least 32 characters. */
  @ValidateIf((env: GatewayEnv) => env.NODE_ENV === 'production')
  @IsString({ message: 'must be a string' })
  @NotEquals(DEV_STAFF_JWT_SECRET, { message: 'must be set to a production secret' })
  @MinLength(32, { message: 'must be at least 32 characters' })
  STAFF_JWT_SECRET = DEV_STAFF_JWT_SECRET;

  /** Issuer every staff token must name. */
  @Matches(/^[\w.:/-]{1,128}$/, { message: 'must be 1-128 characters of letters, digits and . : / - _' })
  STAFF_JWT_ISSUER = 'omni-staff';

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
