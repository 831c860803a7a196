import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StocktakeBody, TransferBody } from '@omni/contracts';
import { optionalIdempotencyKey } from '@omni/platform';
import type { Response } from 'express';
import { StaffAuth } from '../auth/auth.decorators';
import { ApiValidatedBody } from '../docs/validator-schemas';
import { segment, type UpstreamRequest } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { LevelsQueryDto, UuidParamDto } from './back-office-params.dto';

const IDEMPOTENCY = ApiHeader({ name: 'idempotency-key', required: false, description: '8-128 characters (or a documentId in the body); a repeat has no second effect' });

/** Stocktakes, transfers and stock levels for stock operators (and inventory managers), relayed to inventory. */
@ApiTags('admin: stock')
@StaffAuth('stock-operator', 'inventory-manager')
@Controller('admin/stock')
export class StockDocumentAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Levels per location × owner of a SKU and/or at a location. */
  @Get('levels')
  @ApiOperation({ summary: 'Stock levels of a SKU and/or at a location' })
  async levels(@Query() query: LevelsQueryDto): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'GET', path: 'internal/stock/levels', query: { sku: query.sku, locationId: query.locationId } })).body;
  }

  /** Counted quantities; each variance becomes a movement. */
  @Post('stocktakes')
  @ApiOperation({ summary: 'Record a stocktake' })
  @ApiValidatedBody(StocktakeBody)
  @IDEMPOTENCY
  stocktake(@Body() body: StocktakeBody, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'POST', path: 'internal/stock/stocktakes', body, headers: { 'idempotency-key': optionalIdempotencyKey(key) } });
  }

  /** Stock sent from one location to another, at once or in transit until received. */
  @Post('transfers')
  @ApiOperation({ summary: 'Transfer stock between locations' })
  @ApiValidatedBody(TransferBody)
  @IDEMPOTENCY
  transfer(@Body() body: TransferBody, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'POST', path: 'internal/stock/transfers', body, headers: { 'idempotency-key': optionalIdempotencyKey(key) } });
  }

  /** One transfer with its lines and status. */
  @Get('transfers/:id')
  @ApiOperation({ summary: 'Read a transfer' })
  async getTransfer(@Param() params: UuidParamDto): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'GET', path: `internal/stock/transfers/${segment(params.id)}` })).body;
  }

  /** Arrival of an in-transit transfer; a repeat has no second effect. */
  @Post('transfers/:id/receive')
  @ApiOperation({ summary: 'Receive an in-transit transfer' })
  receiveTransfer(@Param() params: UuidParamDto, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'POST', path: `internal/stock/transfers/${segment(params.id)}/receive` });
  }

  private async relay(res: Response, request: UpstreamRequest): Promise<unknown> {
    const answer = await this.upstreams.inventory.call(request);
    res.status(answer.status);
    return answer.body;
  }
}
