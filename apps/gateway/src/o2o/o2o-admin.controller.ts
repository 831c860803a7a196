import { ApiValidatedBody } from '../docs/validator-schemas';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { StaffAuth } from '../auth/auth.decorators';
import { ErrorBodyView } from '../docs/error-body.view';
import { segment, type UpstreamRequest } from '../upstream/upstream.client';
import { ListStatementsQueryDto, MappingParamDto, PlatformParamDto, PutSkuMappingsDto, PutStoreMappingsDto, RunReconciliationDto, StatementParamDto } from './o2o-admin.dto';
import { O2oConnectorUpstream } from './o2o-connector.upstream';

/**
 * Back office of the delivery platforms and marketplaces, relayed to the O2O connector: id mappings,
 * a full resync, sync health, and the daily settlement reconciliation. Staff with the
 * stock-operator role run the sync; reconciliation (money) is the pricing manager's.
 */
@ApiTags('admin: o2o')
@Controller('admin/o2o')
@ApiNotFoundResponse({ description: 'No such platform, mapping or statement', type: ErrorBodyView })
export class O2oAdminController {
  constructor(private readonly connector: O2oConnectorUpstream) {}

  /** Every SKU and store mapping of a platform. */
  @Get('platforms/:platform/mappings')
  @StaffAuth('stock-operator')
  @ApiOperation({ summary: "List a platform's SKU and store mappings" })
  @ApiOkResponse({ description: '{ skus: [{ sku, platformSku }], stores: [{ locationId, platformStore }] }' })
  mappings(@Param() params: PlatformParamDto, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'GET', path: `${this.base(params)}/mappings` });
  }

  /** Sets SKU mappings; values they unblock are pushed. */
  @Put('platforms/:platform/sku-mappings')
  @StaffAuth('stock-operator')
  @ApiOperation({ summary: 'Create or replace SKU mappings (ours → the platform’s)' })
  @ApiValidatedBody(PutSkuMappingsDto)
  putSkus(@Param() params: PlatformParamDto, @Body() body: PutSkuMappingsDto, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'PUT', path: `${this.base(params)}/sku-mappings`, body });
  }

  /** Sets store mappings. */
  @Put('platforms/:platform/store-mappings')
  @StaffAuth('stock-operator')
  @ApiOperation({ summary: 'Create or replace store mappings (our location → the platform’s store or warehouse)' })
  @ApiValidatedBody(PutStoreMappingsDto)
  putStores(@Param() params: PlatformParamDto, @Body() body: PutStoreMappingsDto, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'PUT', path: `${this.base(params)}/store-mappings`, body });
  }

  /** Removes a SKU mapping: that SKU is no longer pushed (and reported unmapped). */
  @Delete('platforms/:platform/sku-mappings/:id')
  @HttpCode(204)
  @StaffAuth('stock-operator')
  @ApiOperation({ summary: 'Delete a SKU mapping' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteSku(@Param() params: MappingParamDto): Promise<void> {
    await this.connector.client.call({ method: 'DELETE', path: `${this.base(params)}/sku-mappings/${segment(params.id)}` });
  }

  /** Removes a store mapping. */
  @Delete('platforms/:platform/store-mappings/:id')
  @HttpCode(204)
  @StaffAuth('stock-operator')
  @ApiOperation({ summary: 'Delete a store mapping' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteStore(@Param() params: MappingParamDto): Promise<void> {
    await this.connector.client.call({ method: 'DELETE', path: `${this.base(params)}/store-mappings/${segment(params.id)}` });
  }

  /** Offers every stored stock value and unacknowledged price to the platform again. */
  @Post('platforms/:platform/resync')
  @StaffAuth('stock-operator')
  @ApiOperation({ summary: 'Full resync of a platform (stock and prices)' })
  resync(@Param() params: PlatformParamDto, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'POST', path: `${this.base(params)}/resync` });
  }

  /** Last push, backlog and unmapped ids. */
  @Get('platforms/:platform/sync-health')
  @StaffAuth('stock-operator')
  @ApiOperation({ summary: 'Sync health of a platform' })
  health(@Param() params: PlatformParamDto, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'GET', path: `${this.base(params)}/sync-health` });
  }

  /** Reconciles one business day now. */
  @Post('platforms/:platform/reconciliations')
  @StaffAuth('pricing-manager')
  @ApiOperation({ summary: "Reconcile a platform's settlement statement of one day now" })
  reconcile(@Param() params: PlatformParamDto, @Body() body: RunReconciliationDto, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'POST', path: `${this.base(params)}/reconciliations`, body });
  }

  /** Statements of a platform, newest first. */
  @Get('platforms/:platform/reconciliations')
  @StaffAuth('pricing-manager')
  @ApiOperation({ summary: 'List reconciliation statements' })
  statements(@Param() params: PlatformParamDto, @Query() query: ListStatementsQueryDto, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'GET', path: `${this.base(params)}/reconciliations`, query: { limit: query.limit } });
  }

  /** One statement with its matched, missing, extra and amount-mismatched lines. */
  @Get('reconciliations/:id')
  @StaffAuth('pricing-manager')
  @ApiOperation({ summary: 'Read a reconciliation statement with its lines' })
  statement(@Param() params: StatementParamDto, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.relay(res, { method: 'GET', path: `internal/reconciliations/${segment(params.id)}` });
  }

  private base(params: PlatformParamDto): string {
    return `internal/platforms/${segment(params.platform)}`;
  }

  private async relay(res: Response, request: UpstreamRequest): Promise<unknown> {
    const answer = await this.connector.client.call(request);
    res.status(answer.status);
    return answer.body;
  }
}
