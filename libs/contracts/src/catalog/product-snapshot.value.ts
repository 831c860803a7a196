import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsChannelCode, IsId, IsNonNegativeInt, IsSkuCode, IsStringRecord, IsText } from '../core/validators';

/** Media kinds a product can show. */
export const MEDIA_KINDS = ['image', 'video'] as const;
/** Media kind. */
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** One image or video of a product, in display order. */
export class ProductMedia {
  /** 'image' or 'video'. */
  @IsIn(MEDIA_KINDS, { message: `$property must be one of ${MEDIA_KINDS.join(', ')}` })
  kind: MediaKind;

  /** Absolute http(s) URL of the asset. */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: '$property must be an http(s) URL' })
  @MaxLength(2048, { message: '$property must be at most 2048 characters' })
  url: string;

  /** Display order, 0 first. */
  @IsNonNegativeInt()
  @Max(10_000, { message: '$property must be at most 10000' })
  position: number;
}

/** A sellable variant of the product with its attribute values (e.g. colour, size). */
export class ProductSku {
  /** SKU code. */
  @IsSkuCode()
  sku: string;

  /** Attribute name to value, all strings. */
  @IsStringRecord()
  attributes: Record<string, string>;
}

/** Kinds of stock hint a channel shows: online "only N left", store "in stock here", remote "ships in N days". */
export const STOCK_HINT_KINDS = ['online', 'store', 'remote'] as const;
/** Stock hint kind. */
export type StockHintKind = (typeof STOCK_HINT_KINDS)[number];

/** Which stock hint a channel shows, with its parameters. */
export class StockHintRule {
  /** 'online', 'store' or 'remote'. */
  @IsIn(STOCK_HINT_KINDS, { message: `$property must be one of ${STOCK_HINT_KINDS.join(', ')}` })
  kind: StockHintKind;

  /** Online: at or below this many units the channel shows "only N left". */
  @IsOptional()
  @IsNonNegativeInt()
  @Max(1_000_000, { message: '$property must be at most 1000000' })
  lowStockThreshold?: number;

  /** Remote: the promised shipping time in days when the channel does not compute one. */
  @IsOptional()
  @IsNonNegativeInt()
  @Max(365, { message: '$property must be at most 365' })
  shipsInDays?: number;
}

/** The display profile a listing uses, resolved so consumers render without a second lookup. */
export class ChannelDisplay {
  /** Stock hint rule. */
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => StockHintRule)
  stockHint: StockHintRule;

  /** Badge codes such as channel-price, store-pickup, group-buy. */
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(20, { message: '$property must contain at most 20 items' })
  @Matches(/^[a-z0-9-]{1,32}$/, { each: true, message: 'each value in $property must be a badge code (1-32 characters of a-z 0-9 -)' })
  badges: string[];
}

/** How the product is listed on one channel. */
export class ProductChannelListing {
  /** Channel code. */
  @IsChannelCode()
  channel: string;

  /** Whether the channel shows the product. */
  @IsBoolean({ message: '$property must be a boolean' })
  visible: boolean;

  /** Channel-specific title, overriding the product title. */
  @IsOptional()
  @IsText(500)
  title?: string;

  /** Code of the display profile the channel renders the product with. */
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(/^[a-z0-9-]{1,64}$/, { message: '$property must be a display profile code (1-64 characters of a-z 0-9 -)' })
  displayProfile?: string;

  /** Channel-specific media, replacing the product's media on this channel. */
  @IsOptional()
  @IsArray({ message: '$property must be an array' })
  @ValidateNested({ each: true })
  @Type(() => ProductMedia)
  media?: ProductMedia[];

  /** The display profile resolved (present whenever displayProfile is). */
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => ChannelDisplay)
  display?: ChannelDisplay;
}

/** The product as catalog holds it after the change: what channels and caches need, not the whole entity. */
export class ProductSnapshot {
  /** Product title. */
  @IsText(500)
  title: string;

  /** Long description. */
  @IsOptional()
  @IsText(20000)
  description?: string;

  /** Brand name. */
  @IsOptional()
  @IsText(200)
  brand?: string;

  /** Brand id, when the product has a brand. */
  @IsOptional()
  @IsId()
  brandId?: string;

  /** Categories the product belongs to. */
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 items' })
  @IsId({ each: true })
  categoryIds: string[];

  /** The product's categories and all their ancestors, so consumers filter by a subtree without the tree. */
  @IsOptional()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(1000, { message: '$property must contain at most 1000 items' })
  @IsId({ each: true })
  categoryAncestry?: string[];

  /** Free tags. */
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 items' })
  @IsText(64, { each: true })
  tags: string[];

  /** Images and videos. */
  @IsArray({ message: '$property must be an array' })
  @ValidateNested({ each: true })
  @Type(() => ProductMedia)
  media: ProductMedia[];

  /** Variants. */
  @IsArray({ message: '$property must be an array' })
  @ValidateNested({ each: true })
  @Type(() => ProductSku)
  skus: ProductSku[];

  /** Per-channel listings. */
  @IsArray({ message: '$property must be an array' })
  @ValidateNested({ each: true })
  @Type(() => ProductChannelListing)
  channels: ProductChannelListing[];
}
