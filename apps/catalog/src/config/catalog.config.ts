import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { envInt, ServiceEnv } from '@omni/platform';

/** Environment of the catalog service (validated at start-up). */
export class CatalogEnv extends ServiceEnv {
  /** How often prices announced for a later instant are checked for having taken effect on the shelf labels. */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds between 100 and 3600000' })
  @Min(100, { message: 'must be a whole number of milliseconds between 100 and 3600000' })
  @Max(3_600_000, { message: 'must be a whole number of milliseconds between 100 and 3600000' })
  PRICE_ACTIVATION_INTERVAL_MS = 15_000;
}
