import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorType } from '@omni/platform';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '@omni/sql';
import { DataSource } from 'typeorm';
import { PriceSyncService } from '../price-sync/price-sync.service';
import { StockSyncService, type SyncHealthView } from '../stock-sync/stock-sync.service';
import { MappingStore } from './mapping.store';
import type { PlatformMappings } from '../domain/id-mapping';
import type { SkuMappingDto, StoreMappingDto } from './mapping.dto';

/** Staff use cases on a platform's mappings and sync: set mappings (then resync), resync, read health. */
@Injectable()
export class MappingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mappings: MappingStore,
    private readonly sync: StockSyncService,
    private readonly prices: PriceSyncService,
  ) {}

  /** Sets SKU mappings and pushes the values they unblock. */
  async putSkus(platform: string, mappings: SkuMappingDto[]): Promise<{ mapped: number; offered: number }> {
    this.known(platform);
    await this.guard(() => this.mappings.putSkus(this.dataSource, platform, mappings));
    await this.prices.resync(platform);
    return { mapped: mappings.length, ...(await this.sync.resync(platform)) };
  }

  /** Sets store mappings and pushes the values they unblock. */
  async putStores(platform: string, mappings: StoreMappingDto[]): Promise<{ mapped: number; offered: number }> {
    this.known(platform);
    await this.guard(() => this.mappings.putStores(this.dataSource, platform, mappings));
    return { mapped: mappings.length, ...(await this.sync.resync(platform)) };
  }

  /** Every mapping of a platform, sorted by our id. */
  async list(platform: string): Promise<PlatformMappings> {
    this.known(platform);
    const mappings = await this.mappings.load(this.dataSource, platform);
    return {
      skus: [...mappings.skus].sort((a, b) => a.sku.localeCompare(b.sku)),
      stores: [...mappings.stores].sort((a, b) => a.locationId.localeCompare(b.locationId)),
    };
  }

  /** Removes a SKU or store mapping (404 when there is none); the pusher reloads its mappings. */
  async remove(platform: string, kind: 'sku' | 'store', ourId: string): Promise<void> {
    this.known(platform);
    const removed = kind === 'sku' ? await this.mappings.deleteSku(this.dataSource, platform, ourId) : await this.mappings.deleteStore(this.dataSource, platform, ourId);
    if (!removed) throw new DomainError(DomainErrorType.NotFound, 'MAPPING_NOT_FOUND', `${platform} has no ${kind} mapping for ${ourId}`);
    await this.prices.resync(platform);
    await this.sync.resync(platform);
  }

  /** Offers every stored stock value, and every price not acknowledged, again. */
  async resync(platform: string): Promise<{ offered: number; pricesOffered: number }> {
    this.known(platform);
    const prices = await this.prices.resync(platform);
    return { ...(await this.sync.resync(platform)), pricesOffered: prices.offered };
  }

  /** Sync health of a platform. */
  health(platform: string): Promise<SyncHealthView> {
    this.known(platform);
    return this.sync.health(platform);
  }

  private known(platform: string): void {
    if (!this.sync.has(platform)) throw new DomainError(DomainErrorType.NotFound, 'PLATFORM_NOT_FOUND', `no platform ${platform} is configured`, [{ field: 'platform', reason: 'not configured' }]);
  }

  private async guard(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      // One platform id for two of ours would make its orders untraceable.
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw new DomainError(DomainErrorType.Conflict, 'PLATFORM_ID_TAKEN', 'a platform id in the batch is already mapped to another of our ids', [{ field: 'mappings', reason: 'platform id already mapped' }]);
      throw error;
    }
  }
}
