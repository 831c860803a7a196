import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, Matches } from 'class-validator';
import { IsChannelCode, IsId, IsSkuCode, IsStringRecord, IsText, ProductMedia, ProductSku } from '@omni/contracts';
import { IsClearable, IsOmittable, ObjectArray } from './dto-rules';

const MAX_SKUS = 200;
const MAX_MEDIA = 50;
const mediaSchema: ApiPropertyOptions = { type: 'array', items: { type: 'object', properties: { kind: { type: 'string', enum: ['image', 'video'] }, url: { type: 'string' }, position: { type: 'integer' } } } };
const skuSchema: ApiPropertyOptions = { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, attributes: { type: 'object', additionalProperties: { type: 'string' } } } } };

/** Body of POST /admin/catalog/products. */
export class CreateProductDto {
  @ApiProperty({ maxLength: 500 })
  @IsText(500)
  title: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOmittable()
  @IsText(20000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOmittable()
  @IsId()
  brandId?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 100 })
  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 items' })
  @IsId({ each: true })
  categoryIds?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 100 })
  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 items' })
  @IsText(64, { each: true })
  tags?: string[];

  @ApiPropertyOptional(mediaSchema)
  @IsOmittable()
  @ObjectArray(MAX_MEDIA, () => ProductMedia)
  media?: ProductMedia[];

  @ApiPropertyOptional(skuSchema)
  @IsOmittable()
  @ObjectArray(MAX_SKUS, () => ProductSku)
  skus?: ProductSku[];
}

/** Body of PATCH /admin/catalog/products/:id: any subset; `null` clears description and brand. */
export class UpdateProductDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOmittable()
  @IsText(500)
  title?: string;

  @ApiPropertyOptional({ maxLength: 20000, nullable: true, type: String })
  @IsClearable()
  @IsText(20000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsClearable()
  @IsId()
  brandId?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 100 })
  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 items' })
  @IsId({ each: true })
  categoryIds?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 100 })
  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 items' })
  @IsText(64, { each: true })
  tags?: string[];

  @ApiPropertyOptional(mediaSchema)
  @IsOmittable()
  @ObjectArray(MAX_MEDIA, () => ProductMedia)
  media?: ProductMedia[];
}

/** Body of POST /admin/catalog/products/:id/skus. */
export class AddSkuDto {
  @ApiProperty({ pattern: '^[A-Za-z0-9._-]{1,64}$' })
  @IsSkuCode()
  sku: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  @IsStringRecord()
  attributes: Record<string, string>;
}

/** Body of PATCH /admin/catalog/products/:id/skus/:sku. */
export class UpdateSkuDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  @IsStringRecord()
  attributes: Record<string, string>;
}

/** Body of PUT /admin/catalog/products/:id/listings/:channel. */
export class PutListingDto {
  @ApiProperty()
  @IsBoolean({ message: '$property must be a boolean' })
  visible: boolean;

  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String })
  @IsClearable()
  @IsText(500)
  title?: string | null;

  @ApiPropertyOptional({ ...mediaSchema, nullable: true })
  @IsClearable()
  @ObjectArray(MAX_MEDIA, () => ProductMedia)
  media?: ProductMedia[] | null;

  @ApiPropertyOptional({ pattern: '^[a-z0-9-]{1,64}$', nullable: true, type: String })
  @IsClearable()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: '$property must be a display profile code (1-64 characters of a-z 0-9 -)' })
  displayProfile?: string | null;
}

/** Route params naming one product. */
export class ProductIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  id: string;
}

/** Route params naming one SKU of a product. */
export class SkuParamDto extends ProductIdParamDto {
  @ApiProperty({ pattern: '^[A-Za-z0-9._-]{1,64}$' })
  @IsSkuCode()
  sku: string;
}

/** Route params naming one channel listing of a product. */
export class ListingParamDto extends ProductIdParamDto {
  @ApiProperty({ pattern: '^[a-z0-9-]{1,32}$' })
  @IsChannelCode()
  channel: string;
}
