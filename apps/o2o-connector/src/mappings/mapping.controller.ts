import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import type { PlatformMappings } from '../domain/id-mapping';
import type { SyncHealthView } from '../stock-sync/stock-sync.service';
import { MappedIdParamDto, PutSkuMappingsDto, PutStoreMappingsDto } from './mapping.dto';
import { MappingService } from './mapping.service';

/** Internal staff API (reached through the gateway): mappings, resync and sync health per platform. */
@Controller('internal/platforms/:platform')
export class MappingController {
  constructor(private readonly service: MappingService) {}

  /** Every SKU and store mapping of the platform. */
  @Get('mappings')
  list(@Param('platform') platform: string): Promise<PlatformMappings> {
    return this.service.list(platform);
  }

  /** Removes one SKU mapping. */
  @Delete('sku-mappings/:id')
  @HttpCode(204)
  deleteSku(@Param('platform') platform: string, @Param() params: MappedIdParamDto): Promise<void> {
    return this.service.remove(platform, 'sku', params.id);
  }

  /** Removes one store mapping. */
  @Delete('store-mappings/:id')
  @HttpCode(204)
  deleteStore(@Param('platform') platform: string, @Param() params: MappedIdParamDto): Promise<void> {
    return this.service.remove(platform, 'store', params.id);
  }

  /** Sets SKU mappings (idempotent: the same body twice has one effect). */
  @Put('sku-mappings')
  putSkus(@Param('platform') platform: string, @Body() body: PutSkuMappingsDto): Promise<{ mapped: number; offered: number }> {
    return this.service.putSkus(platform, body.mappings);
  }

  /** Sets store or warehouse mappings. */
  @Put('store-mappings')
  putStores(@Param('platform') platform: string, @Body() body: PutStoreMappingsDto): Promise<{ mapped: number; offered: number }> {
    return this.service.putStores(platform, body.mappings);
  }

  /** Offers every stored stock value (and every unacknowledged price) to the platform again. */
  @Post('resync')
  @HttpCode(202)
  resync(@Param('platform') platform: string): Promise<{ offered: number; pricesOffered: number }> {
    return this.service.resync(platform);
  }

  /** Last successful push, pending pushes, unacknowledged values and unmapped ids. */
  @Get('sync-health')
  health(@Param('platform') platform: string): Promise<SyncHealthView> {
    return this.service.health(platform);
  }
}
