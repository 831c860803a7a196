import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A channel's share of a SKU: shared pool minus safety stock, or a dedicated quota. */
@Entity({ name: 'channel_allocations' })
export class ChannelAllocationEntity {
  @PrimaryColumn('text') sku: string;
  @PrimaryColumn('text') channel: string;
  @Column('text') mode: 'shared' | 'dedicated';
  @Column('integer', { name: 'safety_stock', default: 0 }) safetyStock: number;
  @Column('integer', { name: 'quota_remaining', default: 0 }) quotaRemaining: number;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
