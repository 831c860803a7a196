import { QueryInt } from '@omni/platform';
import { IsInt, Max, Min } from 'class-validator';
import { IsId } from '@omni/contracts';
import { IsOmittable } from '../movements/dto-rules';
import type { ReplenishmentSuggestion } from './replenishment.calculator';

/** Route params of /internal/replenishment/:locationId. */
export class ReplenishmentParamsDto {
  @IsId()
  locationId: string;
}

const DAYS = (max: number, min: number) => `$property must be an integer between ${min} and ${max}`;

/** Query of GET /internal/replenishment/:locationId (query strings are converted to integers). */
export class ReplenishmentQueryDto {
  /** Sales window N in days. */
  @QueryInt()
  @IsInt({ message: DAYS(365, 1) })
  @Min(1, { message: DAYS(365, 1) })
  @Max(365, { message: DAYS(365, 1) })
  days: number;

  /** Target days of cover after the order arrives. */
  @QueryInt()
  @IsInt({ message: DAYS(365, 0) })
  @Min(0, { message: DAYS(365, 0) })
  @Max(365, { message: DAYS(365, 0) })
  targetDays: number;

  /** Lead time; defaults to the fastest open warehouse's ships-in days. */
  @IsOmittable()
  @QueryInt()
  @IsInt({ message: DAYS(365, 0) })
  @Min(0, { message: DAYS(365, 0) })
  @Max(365, { message: DAYS(365, 0) })
  leadTimeDays?: number;
}

/** Suggestions for one location. */
export interface ReplenishmentReport {
  locationId: string;
  windowDays: number;
  leadTimeDays: number;
  targetDaysOfCover: number;
  generatedAt: string;
  suggestions: ReplenishmentSuggestion[];
}
