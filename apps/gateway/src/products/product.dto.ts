import { QueryInt } from '@omni/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsId, IsText } from '@omni/contracts';

/** Query of GET /products. There is no channel parameter: the API key decides the channel. */
export class ListProductsQueryDto {
  @ApiPropertyOptional({ description: 'Only products in this category or below it', format: 'uuid' })
  @IsOptional()
  @IsId()
  category?: string;

  @ApiPropertyOptional({ description: 'Only products with this tag', maxLength: 64 })
  @IsOptional()
  @IsText(64)
  tag?: string;

  @ApiPropertyOptional({ description: 'Text found (case-insensitive) in the channel title, brand, a tag or a SKU code', maxLength: 200 })
  @IsOptional()
  @IsText(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Products per page', minimum: 1, maximum: 50, default: 20 })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: '$property must be an integer between 1 and 50' })
  @Min(1, { message: '$property must be an integer between 1 and 50' })
  @Max(50, { message: '$property must be an integer between 1 and 50' })
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's nextAfter", format: 'uuid' })
  @IsOptional()
  @IsId()
  after?: string;
}

/** Route params naming one product. */
export class ProductIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  id: string;
}
