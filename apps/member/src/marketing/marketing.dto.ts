import { IsOptional } from 'class-validator';
import { IsUtcTimestamp } from '@omni/contracts';

/** POST /internal/marketing/run. */
export class RunMarketingDto {
  /** The moment whose occasions to issue (default: now). */
  @IsOptional()
  @IsUtcTimestamp()
  at?: string;
}
