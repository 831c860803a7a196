import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';

const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const ID_MESSAGE = '$property must be 1-64 characters of A-Z a-z 0-9 . _ : -';
const PLATFORM = /^[a-z0-9-]{1,32}$/;

/** Route param naming a platform by our channel code. */
export class PlatformParamDto {
  @ApiProperty({ description: 'The platform, by our channel code (e.g. eleme, tmall)', pattern: PLATFORM.source })
  @Matches(PLATFORM, { message: '$property must be a channel code (1-32 characters of a-z 0-9 -)' })
  platform: string;
}

/** Route params of one mapping. */
export class MappingParamDto extends PlatformParamDto {
  @ApiProperty({ description: 'Our SKU code or location id', pattern: ID.source })
  @Matches(ID, { message: ID_MESSAGE })
  id: string;
}

/** Route param of a reconciliation statement. */
export class StatementParamDto {
  @ApiProperty({ format: 'uuid' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: '$property must be a UUID' })
  id: string;
}

/** One SKU mapping: ours → the platform's. */
export class SkuMappingDto {
  @ApiProperty({ description: 'Our SKU code', pattern: ID.source })
  @Matches(ID, { message: ID_MESSAGE })
  sku: string;

  @ApiProperty({ description: "The platform's SKU id", pattern: ID.source })
  @Matches(ID, { message: ID_MESSAGE })
  platformSku: string;
}

/** SKU mappings to set (an existing mapping of the same SKU is replaced). */
export class PutSkuMappingsDto {
  @ApiProperty({ type: [SkuMappingDto], minItems: 1, maxItems: 1000 })
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must hold at least 1 mapping' })
  @ArrayMaxSize(1_000, { message: '$property must hold at most 1000 mappings' })
  @ValidateNested({ each: true })
  @Type(() => SkuMappingDto)
  mappings: SkuMappingDto[];
}

/** One store mapping: our location → the platform's store or warehouse. */
export class StoreMappingDto {
  @ApiProperty({ description: 'Our location id', pattern: ID.source })
  @Matches(ID, { message: ID_MESSAGE })
  locationId: string;

  @ApiProperty({ description: "The platform's store or warehouse id", pattern: ID.source })
  @Matches(ID, { message: ID_MESSAGE })
  platformStore: string;
}

/** Store mappings to set. */
export class PutStoreMappingsDto {
  @ApiProperty({ type: [StoreMappingDto], minItems: 1, maxItems: 1000 })
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must hold at least 1 mapping' })
  @ArrayMaxSize(1_000, { message: '$property must hold at most 1000 mappings' })
  @ValidateNested({ each: true })
  @Type(() => StoreMappingDto)
  mappings: StoreMappingDto[];
}

/** A reconciliation run. */
export class RunReconciliationDto {
  @ApiProperty({ description: "The platform's business day (UTC)", example: '2026-03-01', pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: '$property must be a day as YYYY-MM-DD' })
  day: string;
}

/** Paging of statements. */
export class ListStatementsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be an integer between 1 and 100' })
  @Min(1, { message: '$property must be an integer between 1 and 100' })
  @Max(100, { message: '$property must be an integer between 1 and 100' })
  limit?: number;
}
