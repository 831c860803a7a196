import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, Min, MinLength, NotEquals, ValidateIf } from 'class-validator';
import { envInt, ServiceEnv } from '@omni/platform';

/** The personal-data secret used outside production so a fresh checkout runs; production must set its own. */
export const DEV_MEMBER_PII_SECRET = 'omni-dev-member-pii-secret-not-for-production';

const DAYS = 'must be an integer number of days between 1 and 3650';

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
}
