import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Per-SKU serialisation row (locked FOR UPDATE by every stock change) and its ever-growing version. */
@Entity({ name: 'sku_stock' })
export class SkuStockEntity {
  @PrimaryColumn('text') sku: string;
  // bigint arrives as a string from pg; versions stay far below 2^53.
  @Column('bigint', { default: 0, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
