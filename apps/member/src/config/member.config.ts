import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, NotEquals, ValidateBy, ValidateIf } from 'class-validator';
import { envInt, ServiceEnv } from '@omni/platform';

/** The personal-data secret used outside production so a fresh checkout runs; production must set its own. */
export const DEV_MEMBER_PII_SECRET = 'omni-dev-member-pii-secret-not-for-production';

const DAYS = 'must be an integer number of days between 1 and 3650';

/** Where one-time sign-in codes go: a local append-only file (development only), or nowhere (sign-in answers 503). */
export const OTP_SENDERS = ['dev-file', 'none'] as const;
/** One of {@link OTP_SENDERS}. */
export type OtpSenderKind = (typeof OTP_SENDERS)[number];

/** Environment of the member service (validated at start-up; a bad value stops it naming the variable). */
export class MemberEnv extends ServiceEnv {
  /** HMAC secret of phone, account and gift-card hashes; changing it orphans every stored hash. */
  @ValidateIf((env: MemberEnv) => env.NODE_ENV === 'production')
  @IsString({ message: 'must be a string' })
  @NotEquals(DEV_MEMBER_PII_SECRET, { message: 'must be set to a production secret' })
  @MinLength(32, { message: 'must be at least 32 characters' })
  MEMBER_PII_SECRET = DEV_MEMBER_PII_SECRET;

  /** How long earned points last before they expire (per batch). */
  @Transform(envInt)
  @IsInt({ message: DAYS })
  @Min(1, { message: DAYS })
  @Max(3650, { message: DAYS })
  MEMBER_POINTS_TTL_DAYS = 365;

  /** The rolling period a tier is earned over, and held for before a downgrade. */
  @Transform(envInt)
  @IsInt({ message: DAYS })
  @Min(1, { message: DAYS })
  @Max(3650, { message: DAYS })
  MEMBER_TIER_PERIOD_DAYS = 365;

  /** Where sign-in codes are sent: `dev-file` (the default outside production; refused in production) or `none` (the default in production until an SMS sender exists). */
  @IsOptional()
  @IsIn(OTP_SENDERS, { message: `must be one of ${OTP_SENDERS.join(', ')}` })
  @ValidateBy({
    name: 'otpSenderAllowed',
    validator: {
      validate: (value: unknown, args) => !((args?.object as MemberEnv).NODE_ENV === 'production' && value === 'dev-file'),
      defaultMessage: () => 'must not be dev-file when NODE_ENV=production',
    },
  })
  MEMBER_OTP_SENDER?: OtpSenderKind;

  /** The dev code sink: each code sent is appended as one JSON line (challenge id, masked phone, code). */
  @Matches(/^[^\0]{1,500}$/, { message: 'must be a file path' })
  MEMBER_OTP_SINK_FILE = 'tmp/member-otp-codes.jsonl';

  /** How long a sign-in code may be used. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer number of seconds between 30 and 900' })
  @Min(30, { message: 'must be an integer number of seconds between 30 and 900' })
  @Max(900, { message: 'must be an integer number of seconds between 30 and 900' })
  MEMBER_OTP_TTL_SECONDS = 300;

  /** How long a refresh token lasts unused (each use rotates it). */
  @Transform(envInt)
  @IsInt({ message: DAYS })
  @Min(1, { message: DAYS })
  @Max(3650, { message: DAYS })
  MEMBER_REFRESH_TTL_DAYS = 30;

  /** How often this replica runs member-day and birthday issuance (ms); 0 never. Every replica may run it: each coupon is issued once per member and occasion. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 0 and 86400000' })
  @Min(0, { message: 'must be an integer number of milliseconds between 0 and 86400000' })
  @Max(86_400_000, { message: 'must be an integer number of milliseconds between 0 and 86400000' })
  MEMBER_MARKETING_INTERVAL_MS = 3_600_000;

  /** The day of each month that is member day (1-28, so every month has one). */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer day of the month between 1 and 28' })
  @Min(1, { message: 'must be an integer day of the month between 1 and 28' })
  @Max(28, { message: 'must be an integer day of the month between 1 and 28' })
  MEMBER_DAY_OF_MONTH = 18;

  /** The retailer's time zone as minutes east of UTC (480 for China): member days and birthday months are its calendar days. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer number of minutes between -720 and 840' })
  @Min(-720, { message: 'must be an integer number of minutes between -720 and 840' })
  @Max(840, { message: 'must be an integer number of minutes between -720 and 840' })
  MEMBER_MARKETING_UTC_OFFSET_MINUTES = 0;

  /** Pricing coupon template issued to every member on member day; empty issues none. */
  @Matches(/^([A-Za-z0-9._:-]{1,64})?$/, { message: 'must be empty or a coupon template id (1-64 characters of A-Z a-z 0-9 . _ : -)' })
  MEMBER_DAY_TEMPLATE_ID = '';

  /** Pricing coupon template issued to each member in their birthday month; empty issues none. */
  @Matches(/^([A-Za-z0-9._:-]{1,64})?$/, { message: 'must be empty or a coupon template id (1-64 characters of A-Z a-z 0-9 . _ : -)' })
  MEMBER_BIRTHDAY_TEMPLATE_ID = '';

  /** The pricing service's internal address, where coupon templates are read. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) URL' })
  MEMBER_PRICING_URL = 'http://127.0.0.1:3004';
}

/** The sender in force: the variable, else `none` in production and `dev-file` elsewhere. */
export function otpSenderOf(env: MemberEnv): OtpSenderKind {
  return env.MEMBER_OTP_SENDER ?? (env.NODE_ENV === 'production' ? 'none' : 'dev-file');
}
