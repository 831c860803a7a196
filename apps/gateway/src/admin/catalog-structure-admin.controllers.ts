import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BrandBody, ChannelDisplay, CreateCategoryBody, UpdateCategoryBody } from '@omni/contracts';
import { optionalIdempotencyKey } from '@omni/platform';
import { StaffAuth } from '../auth/auth.decorators';
import { ApiValidatedBody } from '../docs/validator-schemas';
import { segment } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { ProfileCodeParamDto, UuidParamDto } from './back-office-params.dto';

const IDEMPOTENCY = ApiHeader({ name: 'idempotency-key', required: false, description: '8-128 characters; a retry with the same key returns the first result' });

/** The category tree for catalog managers, relayed to catalog (which refuses cycles and deleting a used category). */
@ApiTags('admin: catalog structure')
@StaffAuth('catalog-manager')
@Controller('admin/catalog/categories')
export class CategoryAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** The whole tree, flat. */
  @Get()
  @ApiOperation({ summary: 'List categories' })
  async list(): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'GET', path: 'internal/categories' })).body;
  }

  /** Creates a category under a parent (or a root). */
  @Post()
  @ApiOperation({ summary: 'Create a category' })
  @ApiValidatedBody(CreateCategoryBody)
  @IDEMPOTENCY
  async create(@Body() body: CreateCategoryBody, @Headers('idempotency-key') key?: string): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'POST', path: 'internal/categories', body, headers: { 'idempotency-key': optionalIdempotencyKey(key) } })).body;
  }

  /** Renames or moves a category. */
  @Patch(':id')
  @ApiOperation({ summary: 'Rename or move a category' })
  @ApiValidatedBody(UpdateCategoryBody)
  async update(@Param() params: UuidParamDto, @Body() body: UpdateCategoryBody): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'PATCH', path: `internal/categories/${segment(params.id)}`, body })).body;
  }

  /** Deletes an empty, unused category. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an empty, unused category' })
  async remove(@Param() params: UuidParamDto): Promise<void> {
    await this.upstreams.catalog.call({ method: 'DELETE', path: `internal/categories/${segment(params.id)}` });
  }
}

/** Brands for catalog managers, relayed to catalog. */
@ApiTags('admin: catalog structure')
@StaffAuth('catalog-manager')
@Controller('admin/catalog/brands')
export class BrandAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Every brand. */
  @Get()
  @ApiOperation({ summary: 'List brands' })
  async list(): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'GET', path: 'internal/brands' })).body;
  }

  /** Creates a brand. */
  @Post()
  @ApiOperation({ summary: 'Create a brand' })
  @ApiValidatedBody(BrandBody)
  @IDEMPOTENCY
  async create(@Body() body: BrandBody, @Headers('idempotency-key') key?: string): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'POST', path: 'internal/brands', body, headers: { 'idempotency-key': optionalIdempotencyKey(key) } })).body;
  }

  /** Renames a brand. */
  @Patch(':id')
  @ApiOperation({ summary: 'Rename a brand' })
  @ApiValidatedBody(BrandBody)
  async rename(@Param() params: UuidParamDto, @Body() body: BrandBody): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'PATCH', path: `internal/brands/${segment(params.id)}`, body })).body;
  }
}

/** Display profiles (the stock hint rule and badges a listing renders with) for catalog managers, relayed to catalog. */
@ApiTags('admin: catalog structure')
@StaffAuth('catalog-manager')
@Controller('admin/catalog/display-profiles')
export class DisplayProfileAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Every profile. */
  @Get()
  @ApiOperation({ summary: 'List display profiles' })
  async list(): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'GET', path: 'internal/display-profiles' })).body;
  }

  /** One profile. */
  @Get(':code')
  @ApiOperation({ summary: 'Read a display profile' })
  async get(@Param() params: ProfileCodeParamDto): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'GET', path: `internal/display-profiles/${segment(params.code)}` })).body;
  }

  /** Creates or replaces a profile; listings using it show the change. */
  @Put(':code')
  @ApiOperation({ summary: 'Create or replace a display profile' })
  @ApiValidatedBody(ChannelDisplay)
  async put(@Param() params: ProfileCodeParamDto, @Body() body: ChannelDisplay): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'PUT', path: `internal/display-profiles/${segment(params.code)}`, body })).body;
  }
}
