import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { CHANNEL_PATTERN } from '@omni/contracts';
import { envInt, envList, ServiceEnv } from '@omni/platform';

const MS = 'must be an integer number of milliseconds';

/** Environment of the pricing service (validated at start-up; a bad value stops it naming the variable). */
export class PricingEnv extends ServiceEnv {
  /** Currency of every price this deployment keeps (ISO 4217). */
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code of 3 uppercase letters' })
  PRICING_CURRENCY = 'CNY';

  /**
   * Channels that always get price-changed deltas, besides every channel named by a price list or
   * a rule (a channel with neither sees the base price and needs no delta of its own otherwise).
   */
  @Transform(envList)
  @Matches(CHANNEL_PATTERN, { each: true, message: 'must be a comma-separated list of channel codes (a-z 0-9 -)' })
  PRICING_CHANNELS: string[] = ['app', 'web', 'pos', 'tmall', 'jd', 'wechat', 'meituan', 'eleme'];

  /** How long a quote holds (its expiry); a quote lock must be tried before then. */
  @Transform(envInt)
  @IsInt({ message: `${MS} between 1000 and 86400000` })
  @Min(1_000, { message: `${MS} between 1000 and 86400000` })
  @Max(86_400_000, { message: `${MS} between 1000 and 86400000` })
  QUOTE_TTL_MS = 15 * 60_000;

  /** How often this replica looks for rule and price-list boundaries to publish (0 disables it here). */
  @Transform(envInt)
  @IsInt({ message: `${MS} between 0 and 60000` })
  @Min(0, { message: `${MS} between 0 and 60000` })
  @Max(60_000, { message: `${MS} between 0 and 60000` })
  PRICE_SCHEDULER_INTERVAL_MS = 1_000;
}
