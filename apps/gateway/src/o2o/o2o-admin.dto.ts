import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

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

// The mapping bodies are the connector's own (libs/contracts): validated the same at both edges.
export { PutSkuMappingsBody as PutSkuMappingsDto, PutStoreMappingsBody as PutStoreMappingsDto } from '@omni/contracts';

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
