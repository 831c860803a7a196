import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsId, IsSkuCode } from '@omni/contracts';
import { QueryInt } from '@omni/platform';

const PAGE = '$property must be an integer between 1 and 5000';
const VERSION = '$property must be an integer between 0 and 9007199254740991';

/** Route params naming the store whose labels are read. */
export class LabelStoreParamDto {
  @ApiProperty({ format: 'uuid', description: "The store's location id; a store key reads only its own store" })
  @IsId()
  locationId: string;
}

/** Query of the full label export, paged by SKU. */
export class LabelExportQueryDto {
  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: "The previous page's nextAfter" })
  @IsOptional()
  @IsSkuCode()
  after?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5000 })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: PAGE })
  @Min(1, { message: PAGE })
  @Max(5000, { message: PAGE })
  limit?: number;
}

/** Query of the labels changed since a label version. */
export class LabelChangesQueryDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The label version the device already has (0 for everything)' })
  @QueryInt()
  @IsInt({ message: VERSION })
  @Min(0, { message: VERSION })
  @Max(Number.MAX_SAFE_INTEGER, { message: VERSION })
  since: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5000 })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: PAGE })
  @Min(1, { message: PAGE })
  @Max(5000, { message: PAGE })
  limit?: number;
}
