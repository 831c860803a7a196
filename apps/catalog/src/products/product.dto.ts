import { QueryInt } from '@omni/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsChannelCode, IsId, IsSkuCode, IsStringRecord, IsText, ProductMedia, ProductSku } from '@omni/contracts';
import { IsClearable, IsOmittable, MAX_MEDIA, MAX_SKUS } from '../common/dto-rules';

const PROFILE_CODE = /^[a-z0-9-]{1,64}$/;
const PROFILE_MESSAGE = '$property must be a display profile code (1-64 characters of a-z 0-9 -)';

/** Body of POST /internal/products. */
export class CreateProductDto {
  @IsText(500)
  title: string;

  @IsOmittable()
  @IsText(20000)
  description?: string;

  @IsOmittable()
  @IsId()
  brandId?: string;

  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 items' })
  @IsId({ each: true })
  categoryIds?: string[];

  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 items' })
  @IsText(64, { each: true })
  tags?: string[];

  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(MAX_MEDIA, { message: `$property must contain at most ${MAX_MEDIA} items` })
  @ValidateNested({ each: true })
  @Type(() => ProductMedia)
  media?: ProductMedia[];

  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(MAX_SKUS, { message: `$property must contain at most ${MAX_SKUS} items` })
  @ValidateNested({ each: true })
  @Type(() => ProductSku)
  skus?: ProductSku[];
}

/** Body of PATCH /internal/products/:id: any subset; `null` clears description and brand. */
export class UpdateProductDto {
  @IsOmittable()
  @IsText(500)
  title?: string;

  @IsClearable()
  @IsText(20000)
  description?: string | null;

  @IsClearable()
  @IsId()
  brandId?: string | null;

  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 items' })
  @IsId({ each: true })
  categoryIds?: string[];

  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 items' })
  @IsText(64, { each: true })
  tags?: string[];

  @IsOmittable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(MAX_MEDIA, { message: `$property must contain at most ${MAX_MEDIA} items` })
  @ValidateNested({ each: true })
  @Type(() => ProductMedia)
  media?: ProductMedia[];
}

/** Body of PATCH /internal/products/:id/skus/:sku. */
export class UpdateSkuDto {
  @IsStringRecord()
  attributes: Record<string, string>;
}

/** Body of PUT /internal/products/:id/listings/:channel. */
export class PutListingDto {
  @IsBoolean({ message: '$property must be a boolean' })
  visible: boolean;

  @IsClearable()
  @IsText(500)
  title?: string | null;

  @IsClearable()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(MAX_MEDIA, { message: `$property must contain at most ${MAX_MEDIA} items` })
  @ValidateNested({ each: true })
  @Type(() => ProductMedia)
  media?: ProductMedia[] | null;

  @IsClearable()
  @Matches(PROFILE_CODE, { message: PROFILE_MESSAGE })
  displayProfile?: string | null;
}

/** Route params naming one product. */
export class ProductIdParamDto {
  @IsId()
  id: string;
}

/** Route params naming one SKU of a product. */
export class SkuParamDto extends ProductIdParamDto {
  @IsSkuCode()
  sku: string;
}

/** Route params naming one channel listing of a product. */
export class ListingParamDto extends ProductIdParamDto {
  @IsChannelCode()
  channel: string;
}

/** Query of GET /internal/products: back-office search, filters combine with AND. */
export class ListProductsQueryDto {
  /** Products in this category or any category below it. */
  @IsOptional()
  @IsId()
  categoryId?: string;

  @IsOptional()
  @IsText(64)
  tag?: string;

  @IsOptional()
  @IsId()
  brandId?: string;

  /** Case-insensitive part of the title. */
  @IsOptional()
  @IsText(200)
  q?: string;

  /** Products with ids after this one (the previous page's nextAfter). */
  @IsOptional()
  @IsId()
  after?: string;

  @IsOptional()
  @QueryInt()
  @IsInt({ message: '$property must be an integer between 1 and 200' })
  @Min(1, { message: '$property must be an integer between 1 and 200' })
  @Max(200, { message: '$property must be an integer between 1 and 200' })
  limit?: number;
}

/** One page of GET /internal/products. */
export interface ProductPage {
  items: ProductView[];
  nextAfter: string | null;
}

/** Query of GET /internal/products/export. */
export class ExportQueryDto {
  /** Products with ids after this one (the previous page's `nextAfter`). */
  @IsOptional()
  @IsId()
  after?: string;

  @IsOptional()
  @QueryInt()
  @IsInt({ message: '$property must be an integer between 1 and 1000' })
  @Min(1, { message: '$property must be an integer between 1 and 1000' })
  @Max(1000, { message: '$property must be an integer between 1 and 1000' })
  limit?: number;
}

/** A SKU as the API returns it. */
export interface SkuView {
  sku: string;
  attributes: Record<string, string>;
}

/** A channel listing as the API returns it. */
export interface ListingView {
  channel: string;
  visible: boolean;
  title: string | null;
  media: ProductMedia[] | null;
  displayProfile: string | null;
}

/** A product as the API returns it. */
export interface ProductView {
  id: string;
  version: number;
  title: string;
  description: string | null;
  brandId: string | null;
  categoryIds: string[];
  tags: string[];
  media: ProductMedia[];
  skus: SkuView[];
  listings: ListingView[];
  createdAt: string;
  updatedAt: string;
}
