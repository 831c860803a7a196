import { Body, Controller, Delete, Get, Headers, Param, Put, Query } from '@nestjs/common';
import { optionalIdempotencyKey } from '@omni/platform';
import { BasePriceDto, ChannelParamsDto, ChannelPriceDto, ChannelSkuParamsDto, EffectivePriceQueryDto, SkuParamsDto } from './price-list.dto';
import { PriceListService } from './price-list.service';
import { BasePriceView, ChannelPriceView, EffectivePriceView } from './price-list.views';

/** Base prices (ops console). */
@Controller('internal/base-prices')
export class BasePriceController {
  constructor(private readonly prices: PriceListService) {}

  /** Creates or replaces a base price; publishes price-changed for every channel it moves. */
  @Put(':sku')
  put(@Param() params: SkuParamsDto, @Body() body: BasePriceDto, @Headers('idempotency-key') key?: string): Promise<BasePriceView> {
    return this.prices.putBasePrice(params.sku, body, optionalIdempotencyKey(key));
  }

  /** A base price. */
  @Get(':sku')
  get(@Param() params: SkuParamsDto): Promise<BasePriceView> {
    return this.prices.getBasePrice(params.sku);
  }
}

/** Channel price lists: every route is scoped to one channel and answers with that channel's entries only. */
@Controller('internal/channel-prices')
export class ChannelPriceController {
  constructor(private readonly prices: PriceListService) {}

  /** The channel's price list. */
  @Get(':channel')
  list(@Param() params: ChannelParamsDto): Promise<ChannelPriceView[]> {
    return this.prices.listChannelPrices(params.channel);
  }

  /** The channel's entry for a SKU. */
  @Get(':channel/:sku')
  get(@Param() params: ChannelSkuParamsDto): Promise<ChannelPriceView> {
    return this.prices.getChannelPrice(params.channel, params.sku);
  }

  /** Creates or replaces the channel's exclusive price for a SKU. */
  @Put(':channel/:sku')
  put(@Param() params: ChannelSkuParamsDto, @Body() body: ChannelPriceDto, @Headers('idempotency-key') key?: string): Promise<ChannelPriceView> {
    return this.prices.putChannelPrice(params.channel, params.sku, body, optionalIdempotencyKey(key));
  }

  /** Removes the channel's exclusive price. */
  @Delete(':channel/:sku')
  remove(@Param() params: ChannelSkuParamsDto): Promise<{ deleted: boolean }> {
    return this.prices.deleteChannelPrice(params.channel, params.sku);
  }
}

/** Effective prices as one channel sees them. */
@Controller('internal/prices')
export class EffectivePriceController {
  constructor(private readonly prices: PriceListService) {}

  /** What the asking channel pays for one unit now. */
  @Get(':sku')
  get(@Param() params: SkuParamsDto, @Query() query: EffectivePriceQueryDto): Promise<EffectivePriceView> {
    return this.prices.effectivePrice(params.sku, query.channel, query.storeId);
  }
}
