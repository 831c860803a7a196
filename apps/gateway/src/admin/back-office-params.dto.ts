import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches, ValidateIf } from 'class-validator';
import { IsChannelCode, IsId, IsSkuCode } from '@omni/contracts';
import { IsOmittable } from './dto-rules';

const SKU = { pattern: '^[A-Za-z0-9._-]{1,64}$' } as const;
const CHANNEL = { pattern: '^[a-z0-9-]{1,32}$' } as const;

/** Route params naming one resource by UUID (category, brand, location, owner, transfer). */
export class UuidParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  id: string;
}

/** Route params naming one display profile. */
export class ProfileCodeParamDto {
  @ApiProperty({ pattern: '^[a-z0-9-]{1,64}$' })
  @Matches(/^[a-z0-9-]{1,64}$/, { message: '$property must be a display profile code (1-64 characters of a-z 0-9 -)' })
  code: string;
}

/** Route params naming one store by its inventory location id. */
export class StoreParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  locationId: string;
}

/** Route params naming one SKU. */
export class SkuOnlyParamDto {
  @ApiProperty(SKU)
  @IsSkuCode()
  sku: string;
}

/** Route params naming a channel's allocation of a SKU. */
export class SkuChannelParamDto extends SkuOnlyParamDto {
  @ApiProperty(CHANNEL)
  @IsChannelCode()
  channel: string;
}

/** Route params naming a SKU at a location (thresholds). */
export class SkuLocationParamDto extends SkuOnlyParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  locationId: string;
}

/** Query of stock levels: a SKU, a location, or both (at least one). */
export class LevelsQueryDto {
  @ApiPropertyOptional({ ...SKU, description: 'Required unless locationId is given' })
  @ValidateIf((o: LevelsQueryDto) => o.sku !== undefined || o.locationId === undefined)
  @IsSkuCode()
  sku?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOmittable()
  @IsId()
  locationId?: string;
}
