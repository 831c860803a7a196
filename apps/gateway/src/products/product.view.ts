import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Money in integer minor units. */
export class MoneyView {
  @ApiProperty({ description: 'Minor units (fen, cents)', example: 12900 }) amount: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
}

/** The channel's price of one unit of a SKU. */
export class SkuPriceView {
  @ApiProperty({ description: 'Price after channel price lists and price rules' }) unit: MoneyView;
  @ApiProperty({ description: 'List price before price rules (shown struck through when higher)' }) list: MoneyView;
}

/** The stock hint the channel's display profile asks for. */
export class StockHintView {
  @ApiProperty({ enum: ['SOLD_OUT', 'IN_STOCK', 'ONLY_N_LEFT', 'IN_STOCK_HERE', 'AVAILABLE_AT_STORE', 'SHIPS_IN_DAYS'] }) code: string;
  @ApiProperty({ description: 'Default English rendering', example: 'Only 3 left' }) text: string;
  @ApiPropertyOptional() quantity?: number;
  @ApiPropertyOptional() days?: number;
  @ApiPropertyOptional({ format: 'uuid' }) locationId?: string;
  @ApiPropertyOptional() locationName?: string;
}

/** One image or video. */
export class MediaView {
  @ApiProperty({ enum: ['image', 'video'] }) kind: string;
  @ApiProperty() url: string;
  @ApiProperty() position: number;
}

/** A SKU as the channel shows it. */
export class ChannelSkuView {
  @ApiProperty() sku: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) attributes: Record<string, string>;
  @ApiProperty({ type: SkuPriceView, nullable: true, description: 'null when pricing could not answer (see warnings)' }) price: SkuPriceView | null;
  @ApiProperty({ type: StockHintView, nullable: true, description: 'null when inventory could not answer (see warnings)' }) stock: StockHintView | null;
}

/** A product as one channel sees it: its title, media, badges, prices and stock hints. */
export class ChannelProductView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Catalog version this view was composed from' }) version: number;
  @ApiProperty({ description: 'The channel of the API key' }) channel: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: String, nullable: true }) brand: string | null;
  @ApiProperty({ type: [String] }) categoryIds: string[];
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ type: [MediaView] }) media: MediaView[];
  @ApiProperty({ type: [String], description: 'Badge codes of the display profile, e.g. channel-price, store-pickup' }) badges: string[];
  @ApiProperty({ type: [ChannelSkuView] }) skus: ChannelSkuView[];
  @ApiProperty({ type: [String], description: 'Parts that could not be composed, e.g. PRICE_UNAVAILABLE, STOCK_UNAVAILABLE' }) warnings: string[];
}

/** A page of products. */
export class ChannelProductPage {
  @ApiProperty({ type: [ChannelProductView] }) items: ChannelProductView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last page' }) nextAfter: string | null;
}
