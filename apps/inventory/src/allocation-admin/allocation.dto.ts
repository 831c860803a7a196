import { IsIn, IsInt, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { IsChannelCode, IsSkuCode } from '@omni/contracts';
import { MAX_LINE_QUANTITY } from '../movements/dto-rules';

const AMOUNT = `$property must be an integer between 0 and ${MAX_LINE_QUANTITY}`;
/** Allocation modes: a share of the common pool, or a quota of its own. */
export const ALLOCATION_MODES = ['shared', 'dedicated'] as const;

/** The field belongs to one mode only: `quota` to dedicated, `safetyStock` to shared. */
function OnlyWithMode(mode: 'shared' | 'dedicated'): PropertyDecorator {
  return ValidateBy({
    name: 'onlyWithMode',
    validator: {
      validate: (_value: unknown, args) => (args?.object as { mode?: unknown }).mode === mode,
      defaultMessage: () => `$property is only allowed with mode ${mode}`,
    },
  });
}

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

/** Body of PUT /internal/allocations/:sku/:channel: `{ mode: 'shared', safetyStock }` or `{ mode: 'dedicated', quota }`. */
export class PutAllocationDto {
  @IsIn(ALLOCATION_MODES, { message: `$property must be one of ${ALLOCATION_MODES.join(', ')}` })
  mode: 'shared' | 'dedicated';

  /** Units of the shared pool held back from this channel. */
  @ValidateIf((o: PutAllocationDto) => o.mode !== 'dedicated' || o.safetyStock !== undefined)
  @OnlyWithMode('shared')
  @IsInt({ message: AMOUNT })
  @Min(0, { message: AMOUNT })
  @Max(MAX_LINE_QUANTITY, { message: AMOUNT })
  safetyStock?: number;

  /** Units set aside that only this channel may sell. */
  @ValidateIf((o: PutAllocationDto) => o.mode === 'dedicated' || o.quota !== undefined)
  @OnlyWithMode('dedicated')
  @IsInt({ message: AMOUNT })
  @Min(0, { message: AMOUNT })
  @Max(MAX_LINE_QUANTITY, { message: AMOUNT })
  quota?: number;

}

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
