import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, NotEquals, ValidateBy, ValidateIf } from 'class-validator';
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
}

/** The sender in force: the variable, else `none` in production and `dev-file` elsewhere. */
export function otpSenderOf(env: MemberEnv): OtpSenderKind {
  return env.MEMBER_OTP_SENDER ?? (env.NODE_ENV === 'production' ? 'none' : 'dev-file');
}
