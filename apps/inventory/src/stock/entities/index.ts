import { ReservationEntity } from '../../reservation/persistence/entities/reservation.entity';
import { ReservationLineEntity } from '../../reservation/persistence/entities/reservation-line.entity';
import { ChannelAllocationEntity } from './channel-allocation.entity';
import { LocationEntity } from './location.entity';
import { OwnerEntity } from './owner.entity';
import { SkuStockEntity } from './sku-stock.entity';
import { StockLevelEntity } from './stock-level.entity';
import { StockMovementEntity } from './stock-movement.entity';

export { ChannelAllocationEntity, LocationEntity, OwnerEntity, SkuStockEntity, StockLevelEntity, StockMovementEntity };
export { ReservationEntity, ReservationLineEntity };

/** Entities of the shared inventory core tables (created by InventoryCore1763800000000). */
export const INVENTORY_CORE_ENTITIES = [
  LocationEntity,
  OwnerEntity,
  SkuStockEntity,
  ChannelAllocationEntity,
  StockLevelEntity,
  StockMovementEntity,
  ReservationEntity,
  ReservationLineEntity,
];
