import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Who owns stock: the retailer, or a consignor paid only once the goods sell. */
@Entity({ name: 'owners' })
export class OwnerEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') type: 'retailer' | 'consignor';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
