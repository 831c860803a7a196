import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  CreateLocationBody,
  CreateOwnerBody,
  ListLocationsQuery,
  LOCATION_STATUSES,
  LOCATION_TYPES,
  PutAllocationBody,
  PutThresholdBody,
  UpdateLocationBody,
  UpdateOwnerBody,
} from '@omni/contracts';
import { StaffAuth } from '../auth/auth.decorators';
import { ApiValidatedBody } from '../docs/validator-schemas';
import { segment } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { SkuChannelParamDto, SkuLocationParamDto, SkuOnlyParamDto, UuidParamDto } from './back-office-params.dto';

/** Locations (warehouses, stores, dark stores) for inventory managers, relayed to inventory. */
@ApiTags('admin: inventory')
@StaffAuth('inventory-manager')
@Controller('admin/inventory/locations')
export class LocationAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Lists locations, filtered by type and status. */
  @Get()
  @ApiOperation({ summary: 'List locations' })
  @ApiQuery({ name: 'type', required: false, enum: LOCATION_TYPES })
  @ApiQuery({ name: 'status', required: false, enum: LOCATION_STATUSES })
  async list(@Query() query: ListLocationsQuery): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'GET', path: 'internal/locations', query: { type: query.type, status: query.status } })).body;
  }

  /** Creates a location. */
  @Post()
  @ApiOperation({ summary: 'Create a location' })
  @ApiValidatedBody(CreateLocationBody)
  async create(@Body() body: CreateLocationBody): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'POST', path: 'internal/locations', body })).body;
  }

  /** One location. */
  @Get(':id')
  @ApiOperation({ summary: 'Read a location' })
  async get(@Param() params: UuidParamDto): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'GET', path: `internal/locations/${segment(params.id)}` })).body;
  }

  /** Edits some fields of a location; closing one takes its stock out of every channel's ATP. */
  @Patch(':id')
  @ApiOperation({ summary: 'Edit a location (e.g. close a store)' })
  @ApiValidatedBody(UpdateLocationBody)
  async update(@Param() params: UuidParamDto, @Body() body: UpdateLocationBody): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'PATCH', path: `internal/locations/${segment(params.id)}`, body })).body;
  }
}

/** Stock owners (the retailer, consignors) for inventory managers, relayed to inventory. */
@ApiTags('admin: inventory')
@StaffAuth('inventory-manager')
@Controller('admin/inventory/owners')
export class OwnerAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Lists owners. */
  @Get()
  @ApiOperation({ summary: 'List stock owners' })
  async list(): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'GET', path: 'internal/owners' })).body;
  }

  /** Registers an owner. */
  @Post()
  @ApiOperation({ summary: 'Register a stock owner' })
  @ApiValidatedBody(CreateOwnerBody)
  async create(@Body() body: CreateOwnerBody): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'POST', path: 'internal/owners', body })).body;
  }

  /** One owner. */
  @Get(':id')
  @ApiOperation({ summary: 'Read a stock owner' })
  async get(@Param() params: UuidParamDto): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'GET', path: `internal/owners/${segment(params.id)}` })).body;
  }

  /** Renames an owner (its type cannot change). */
  @Patch(':id')
  @ApiOperation({ summary: 'Rename a stock owner' })
  @ApiValidatedBody(UpdateOwnerBody)
  async update(@Param() params: UuidParamDto, @Body() body: UpdateOwnerBody): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'PATCH', path: `internal/owners/${segment(params.id)}`, body })).body;
  }
}

/** Channel allocation (shared with a safety stock, or a dedicated quota) for inventory managers, relayed to inventory. */
@ApiTags('admin: inventory')
@StaffAuth('inventory-manager')
@Controller('admin/inventory/allocations')
export class AllocationAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** The channel rules of a SKU with each channel's ATP. */
  @Get(':sku')
  @ApiOperation({ summary: "A SKU's channel allocations with each channel's ATP" })
  async list(@Param() params: SkuOnlyParamDto): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'GET', path: `internal/allocations/${segment(params.sku)}` })).body;
  }

  /** Sets a channel's rule for a SKU; the channel's ATP moves at once (stock-changed). */
  @Put(':sku/:channel')
  @ApiOperation({ summary: "Set a channel's allocation of a SKU" })
  @ApiValidatedBody(PutAllocationBody)
  async put(@Param() params: SkuChannelParamDto, @Body() body: PutAllocationBody): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'PUT', path: `internal/allocations/${segment(params.sku)}/${segment(params.channel)}`, body })).body;
  }
}

/** Low-stock thresholds for inventory managers, relayed to inventory. */
@ApiTags('admin: inventory')
@StaffAuth('inventory-manager')
@Controller('admin/inventory/thresholds')
export class ThresholdAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** The threshold with current available and alert state. */
  @Get(':sku/:locationId')
  @ApiOperation({ summary: 'Read a low-stock threshold' })
  async get(@Param() params: SkuLocationParamDto): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'GET', path: this.path(params) })).body;
  }

  /** Sets the threshold of a SKU at a location; evaluated at once. */
  @Put(':sku/:locationId')
  @ApiOperation({ summary: 'Set a low-stock threshold' })
  @ApiValidatedBody(PutThresholdBody)
  async put(@Param() params: SkuLocationParamDto, @Body() body: PutThresholdBody): Promise<unknown> {
    return (await this.upstreams.inventory.call({ method: 'PUT', path: this.path(params), body })).body;
  }

  /** Removes the threshold. */
  @Delete(':sku/:locationId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a low-stock threshold' })
  async remove(@Param() params: SkuLocationParamDto): Promise<void> {
    await this.upstreams.inventory.call({ method: 'DELETE', path: this.path(params) });
  }

  private path(params: SkuLocationParamDto): string {
    return `internal/thresholds/${segment(params.sku)}/${segment(params.locationId)}`;
  }
}
