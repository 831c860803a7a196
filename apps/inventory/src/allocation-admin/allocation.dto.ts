import { IsChannelCode, IsSkuCode } from '@omni/contracts';

export { ALLOCATION_MODES } from '@omni/contracts';

/** Route params of /internal/allocations/:sku/:channel. */
export class AllocationParamsDto {
  @IsSkuCode()
  sku: string;

  @IsChannelCode()
  channel: string;
}

/** Route params of /internal/allocations/:sku. */
export class AllocationSkuParamsDto {
  @IsSkuCode()
  sku: string;
}

/** Body of PUT /internal/allocations/:sku/:channel: `{ mode: 'shared', safetyStock }` or `{ mode: 'dedicated', quota }` (shared with the gateway). */
export { PutAllocationBody as PutAllocationDto } from '@omni/contracts';

/** A channel's allocation with what it can promise now. */
export interface AllocationView {
  sku: string;
  channel: string;
  mode: 'shared' | 'dedicated';
  safetyStock: number;
  quota: number;
  /** ATP of the channel after the change. */
  available: number;
}
