import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Units of a SKU at a location owned by one owner; CHECKs in the table refuse negatives and oversell. */
@Entity({ name: 'stock_levels' })
export class StockLevelEntity {
  @PrimaryColumn('text') sku: string;
  @PrimaryColumn('uuid', { name: 'location_id' }) locationId: string;
  @PrimaryColumn('uuid', { name: 'owner_id' }) ownerId: string;
  @Column('integer', { name: 'on_hand', default: 0 }) onHand: number;
  @Column('integer', { default: 0 }) reserved: number;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
