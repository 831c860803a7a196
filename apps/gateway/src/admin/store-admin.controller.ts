import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AssortmentChangesBody, PutAssortmentBody, PutStoreBody } from '@omni/contracts';
import { StaffAuth } from '../auth/auth.decorators';
import { ApiValidatedBody } from '../docs/validator-schemas';
import { segment } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { StoreParamDto } from './back-office-params.dto';

/** Stores (the channel whose prices their labels show) and their assortments, for catalog managers; relayed to catalog. */
@ApiTags('admin: stores')
@StaffAuth('catalog-manager')
@Controller('admin/catalog/stores')
export class StoreAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Registers or edits a store (by its inventory location id). */
  @Put(':locationId')
  @ApiOperation({ summary: 'Register or edit a store' })
  @ApiValidatedBody(PutStoreBody)
  async put(@Param() params: StoreParamDto, @Body() body: PutStoreBody): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'PUT', path: `internal/stores/${segment(params.locationId)}`, body })).body;
  }

  /** One store. */
  @Get(':locationId')
  @ApiOperation({ summary: 'Read a store' })
  async get(@Param() params: StoreParamDto): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'GET', path: `internal/stores/${segment(params.locationId)}` })).body;
  }

  /** The SKUs the store carries. */
  @Get(':locationId/assortment')
  @ApiOperation({ summary: "Read a store's assortment" })
  async assortment(@Param() params: StoreParamDto): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'GET', path: `internal/stores/${segment(params.locationId)}/assortment` })).body;
  }

  /** Replaces the store's assortment. */
  @Put(':locationId/assortment')
  @ApiOperation({ summary: "Replace a store's assortment" })
  @ApiValidatedBody(PutAssortmentBody)
  async replaceAssortment(@Param() params: StoreParamDto, @Body() body: PutAssortmentBody): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'PUT', path: `internal/stores/${segment(params.locationId)}/assortment`, body })).body;
  }

  /** Adds and removes SKUs. */
  @Post(':locationId/assortment/changes')
  @HttpCode(200)
  @ApiOperation({ summary: "Add and remove SKUs of a store's assortment" })
  @ApiValidatedBody(AssortmentChangesBody)
  async editAssortment(@Param() params: StoreParamDto, @Body() body: AssortmentChangesBody): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'POST', path: `internal/stores/${segment(params.locationId)}/assortment/changes`, body })).body;
  }
}
