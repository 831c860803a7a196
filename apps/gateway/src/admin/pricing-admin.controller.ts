import { Body, Controller, Delete, Headers, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { optionalIdempotencyKey } from '@omni/platform';
import { StaffAuth } from '../auth/auth.decorators';
import { segment } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { BasePriceDto, ChannelPriceDto, ChannelSkuParamsDto, SkuParamsDto } from './pricing-admin.dto';

/** Price lists for pricing managers, relayed to pricing. */
@ApiTags('admin: pricing')
@StaffAuth('pricing-manager')
@Controller('admin/prices')
export class PricingAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Sets a SKU's base price (channels without their own price use it). */
  @Put('base/:sku')
  @ApiOperation({ summary: "Set a SKU's base price" })
  async putBase(@Param() params: SkuParamsDto, @Body() body: BasePriceDto, @Headers('idempotency-key') key?: string): Promise<unknown> {
    return (await this.upstreams.pricing.call({ method: 'PUT', path: `internal/base-prices/${segment(params.sku)}`, body, headers: { 'idempotency-key': optionalIdempotencyKey(key) } })).body;
  }

  /** Sets a channel-exclusive price of a SKU, optionally within a time window. */
  @Put('channels/:channel/:sku')
  @ApiOperation({ summary: 'Set a channel-exclusive price' })
  async putChannel(@Param() params: ChannelSkuParamsDto, @Body() body: ChannelPriceDto, @Headers('idempotency-key') key?: string): Promise<unknown> {
    const path = `internal/channel-prices/${segment(params.channel)}/${segment(params.sku)}`;
    return (await this.upstreams.pricing.call({ method: 'PUT', path, body, headers: { 'idempotency-key': optionalIdempotencyKey(key) } })).body;
  }

  /** Removes a channel-exclusive price; the channel falls back to the base price. */
  @Delete('channels/:channel/:sku')
  @ApiOperation({ summary: 'Remove a channel-exclusive price' })
  async deleteChannel(@Param() params: ChannelSkuParamsDto): Promise<unknown> {
    return (await this.upstreams.pricing.call({ method: 'DELETE', path: `internal/channel-prices/${segment(params.channel)}/${segment(params.sku)}` })).body;
  }
}
