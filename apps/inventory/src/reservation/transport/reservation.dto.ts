import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, ValidateNested } from 'class-validator';
import { IsChannelCode, IsId, IsQuantity, IsSkuCode, IsUtcTimestamp } from '@omni/contracts';

/** One line of a Try: SKU × quantity × location id or 'any'. */
export class TryLineDto {
  @IsSkuCode()
  sku: string;

  @IsQuantity()
  quantity: number;

  /** A location id, or 'any' to let inventory pick (most available first, possibly split). */
  @IsString({ message: "$property must be a location UUID or 'any'" })
  @Matches(/^(any|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: "$property must be a location UUID or 'any'" })
  locationId: string;
}

/** Identifies a branch of a global transaction. */
export class BranchRequestDto {
  /** Global transaction id (the order id for order sagas). */
  @IsId()
  gid: string;

  /** Branch id within the global transaction. */
  @IsId()
  branchId: string;
}

/** POST /internal/reservations/try. */
export class TryRequestDto extends BranchRequestDto {
  /** After this instant the Try is refused; past it (plus grace) the reservation is released. */
  @IsUtcTimestamp()
  deadline: string;

  @IsChannelCode()
  channel: string;

  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must contain at least 1 line' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 lines' })
  @ValidateNested({ each: true })
  @Type(() => TryLineDto)
  lines: TryLineDto[];
}

/** Route params of the ATP read endpoints. */
export class AtpParamsDto {
  @IsSkuCode()
  sku: string;
}
