import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ProductSku } from '@omni/contracts';
import { optionalIdempotencyKey } from '@omni/platform';
import {
  CreateProductDto,
  ExportQueryDto,
  ListProductsQueryDto,
  ListingParamDto,
  ProductIdParamDto,
  ProductPage,
  ProductView,
  PutListingDto,
  SkuParamDto,
  UpdateProductDto,
  UpdateSkuDto,
} from './product.dto';
import { ProductExportPage, ProductExportService } from './product-export.service';
import { ProductService } from './product.service';

/** Internal HTTP API of products, SKUs and channel listings (writes are authorised by the gateway). */
@Controller('internal/products')
export class ProductController {
  constructor(
    private readonly products: ProductService,
    private readonly exporter: ProductExportService,
  ) {}

  /** Creates a product; a repeated Idempotency-Key returns the first result. */
  @Post()
  create(@Body() body: CreateProductDto, @Headers('idempotency-key') key?: string): Promise<ProductView> {
    return this.products.create(body, optionalIdempotencyKey(key));
  }

  /** Back-office search by category subtree, tag, brand and title. */
  @Get()
  list(@Query() query: ListProductsQueryDto): Promise<ProductPage> {
    return this.products.list(query);
  }

  /** Full export for cache reloads, paged by product id. */
  @Get('export')
  export(@Query() query: ExportQueryDto): Promise<ProductExportPage> {
    return this.exporter.page(query.after, query.limit);
  }

  /** One product with its SKUs and listings. */
  @Get(':id')
  get(@Param() params: ProductIdParamDto): Promise<ProductView> {
    return this.products.get(params.id);
  }

  /** Edits some fields of a product. */
  @Patch(':id')
  update(@Param() params: ProductIdParamDto, @Body() body: UpdateProductDto): Promise<ProductView> {
    return this.products.update(params.id, body);
  }

  /** Deletes a product. */
  @Delete(':id')
  @HttpCode(204)
  delete(@Param() params: ProductIdParamDto): Promise<void> {
    return this.products.delete(params.id);
  }

  /** Adds a SKU; a repeated Idempotency-Key returns the first result. */
  @Post(':id/skus')
  addSku(@Param() params: ProductIdParamDto, @Body() body: ProductSku, @Headers('idempotency-key') key?: string): Promise<ProductView> {
    return this.products.addSku(params.id, body, optionalIdempotencyKey(key));
  }

  /** Replaces a SKU's attributes. */
  @Patch(':id/skus/:sku')
  updateSku(@Param() params: SkuParamDto, @Body() body: UpdateSkuDto): Promise<ProductView> {
    return this.products.updateSku(params.id, params.sku, body.attributes);
  }

  /** Removes a SKU. */
  @Delete(':id/skus/:sku')
  removeSku(@Param() params: SkuParamDto): Promise<ProductView> {
    return this.products.removeSku(params.id, params.sku);
  }

  /** Creates or replaces the product's listing on a channel. */
  @Put(':id/listings/:channel')
  putListing(@Param() params: ListingParamDto, @Body() body: PutListingDto): Promise<ProductView> {
    return this.products.putListing(params.id, params.channel, body);
  }

  /** Removes the product's listing on a channel. */
  @Delete(':id/listings/:channel')
  deleteListing(@Param() params: ListingParamDto): Promise<ProductView> {
    return this.products.deleteListing(params.id, params.channel);
  }
}
