import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { IsChannelCode, IsId, IsText } from '@omni/contracts';

/** Body of POST /admin/api-keys. */
export class CreateApiKeyDto {
  @ApiProperty({ description: 'What the key is for, e.g. "iOS app production"', maxLength: 200, example: 'iOS app' })
  @IsText(200)
  name: string;

  @ApiProperty({ description: 'Channel the key is bound to', pattern: '^[a-z0-9-]{1,32}$', example: 'app' })
  @IsChannelCode()
  channel: string;

  @ApiPropertyOptional({ description: 'Store the key is bound to (POS, shelf labels, pickup desk)', format: 'uuid' })
  @IsOptional()
  @IsId()
  locationId?: string;

  @ApiPropertyOptional({ description: 'Own per-minute request limit; the gateway default otherwise', minimum: 1, maximum: 1000000 })
  @ValidateIf((_o, value) => value !== undefined)
  @IsInt({ message: '$property must be an integer between 1 and 1000000' })
  @Min(1, { message: '$property must be an integer between 1 and 1000000' })
  @Max(1_000_000, { message: '$property must be an integer between 1 and 1000000' })
  rateLimitPerMinute?: number;
}

/** Route params naming one API key. */
export class ApiKeyIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  id: string;
}

/** Query of GET /admin/api-keys. */
export class ListApiKeysQueryDto {
  @ApiPropertyOptional({ description: 'Only keys of this channel', pattern: '^[a-z0-9-]{1,32}$' })
  @IsOptional()
  @IsChannelCode()
  channel?: string;
}

/** An API key as listed: never the secret. */
export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() channel: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) locationId: string | null;
  @ApiProperty({ description: 'Last four characters of the key' }) keyHint: string;
  @ApiProperty({ nullable: true, type: Number }) rateLimitPerMinute: number | null;
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

/** A key just created: the only time the secret is shown. */
export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The secret; store it now, it is never shown again' })
  key: string;
}
