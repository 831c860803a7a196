import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { StockMovementType } from '@omni/contracts';

/** One ledger row; stock levels always equal the sums of these deltas. Written only by the StockLedger/reservation paths. */
@Entity({ name: 'stock_movements' })
export class StockMovementEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq: string;
  @Column('uuid', { unique: true }) id: string;
  @Column('text') sku: string;
  @Column('uuid', { name: 'location_id' }) locationId: string;
  @Column('uuid', { name: 'owner_id' }) ownerId: string;
  @Column('text') type: StockMovementType;
  @Column('integer', { name: 'on_hand_delta' }) onHandDelta: number;
  @Column('integer', { name: 'reserved_delta' }) reservedDelta: number;
  @Column('text', { nullable: true }) channel: string | null;
  @Column('text', { nullable: true }) ref: string | null;
  @Column('bigint', { name: 'sku_version' }) skuVersion: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
