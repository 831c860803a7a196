import { Body, Controller, Delete, Headers, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { optionalIdempotencyKey } from '@omni/platform';
import { StaffAuth } from '../auth/auth.decorators';
import { segment } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { AddSkuDto, CreateProductDto, ListingParamDto, ProductIdParamDto, PutListingDto, SkuParamDto, UpdateProductDto, UpdateSkuDto } from './catalog-admin.dto';

/** Catalog writes for catalog editors, relayed to the catalog service. */
@ApiTags('admin: catalog')
@StaffAuth('catalog-editor')
@Controller('admin/catalog/products')
export class CatalogAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Creates a product; a repeated Idempotency-Key returns the first result. */
  @Post()
  @ApiOperation({ summary: 'Create a product' })
  async create(@Body() body: CreateProductDto, @Headers('idempotency-key') key?: string): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'POST', path: 'internal/products', body, headers: { 'idempotency-key': optionalIdempotencyKey(key) } })).body;
  }

  /** Edits some fields of a product. */
  @Patch(':id')
  @ApiOperation({ summary: 'Edit a product' })
  async update(@Param() params: ProductIdParamDto, @Body() body: UpdateProductDto): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'PATCH', path: `internal/products/${segment(params.id)}`, body })).body;
  }

  /** Deletes a product. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a product' })
  async remove(@Param() params: ProductIdParamDto): Promise<void> {
    await this.upstreams.catalog.call({ method: 'DELETE', path: `internal/products/${segment(params.id)}` });
  }

  /** Adds a SKU to a product. */
  @Post(':id/skus')
  @ApiOperation({ summary: 'Add a SKU' })
  async addSku(@Param() params: ProductIdParamDto, @Body() body: AddSkuDto, @Headers('idempotency-key') key?: string): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'POST', path: `internal/products/${segment(params.id)}/skus`, body, headers: { 'idempotency-key': optionalIdempotencyKey(key) } })).body;
  }

  /** Replaces a SKU's attributes. */
  @Patch(':id/skus/:sku')
  @ApiOperation({ summary: "Replace a SKU's attributes" })
  async updateSku(@Param() params: SkuParamDto, @Body() body: UpdateSkuDto): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'PATCH', path: `internal/products/${segment(params.id)}/skus/${segment(params.sku)}`, body })).body;
  }

  /** Creates or replaces the product's listing on a channel (visibility, title, media, display profile). */
  @Put(':id/listings/:channel')
  @ApiOperation({ summary: "Set a product's listing on a channel" })
  async putListing(@Param() params: ListingParamDto, @Body() body: PutListingDto): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'PUT', path: `internal/products/${segment(params.id)}/listings/${segment(params.channel)}`, body })).body;
  }

  /** Removes the product's listing on a channel. */
  @Delete(':id/listings/:channel')
  @ApiOperation({ summary: "Remove a product's listing on a channel" })
  async deleteListing(@Param() params: ListingParamDto): Promise<unknown> {
    return (await this.upstreams.catalog.call({ method: 'DELETE', path: `internal/products/${segment(params.id)}/listings/${segment(params.channel)}` })).body;
  }
}
