import { IsId, IsSkuCode } from '@omni/contracts';

/** Route params of /internal/thresholds/:sku/:locationId. */
export class ThresholdParamsDto {
  @IsSkuCode()
  sku: string;

  @IsId()
  locationId: string;
}

/** Body of PUT /internal/thresholds/:sku/:locationId; 0 switches the alert off (shared with the gateway). */
export { PutThresholdBody as PutThresholdDto } from '@omni/contracts';

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
