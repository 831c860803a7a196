import { IsInt, Max, Min } from 'class-validator';
import { IsId, IsSkuCode } from '@omni/contracts';
import { MAX_LINE_QUANTITY } from '../movements/dto-rules';

const THRESHOLD = `$property must be an integer between 0 and ${MAX_LINE_QUANTITY}`;

/** Route params of /internal/thresholds/:sku/:locationId. */
export class ThresholdParamsDto {
  @IsSkuCode()
  sku: string;

  @IsId()
  locationId: string;
}

/** Body of PUT /internal/thresholds/:sku/:locationId; 0 switches the alert off. */
export class PutThresholdDto {
  @IsInt({ message: THRESHOLD })
  @Min(0, { message: THRESHOLD })
  @Max(MAX_LINE_QUANTITY, { message: THRESHOLD })
  threshold: number;
}

/** A threshold as the API returns it, with the state of its alert. */
export interface ThresholdView {
  sku: string;
  locationId: string;
  threshold: number;
  /** Available (on hand − reserved) at the location now. */
  available: number;
  /** True while available is below the threshold (the alert has fired and is not re-armed). */
  below: boolean;
}
