import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A place holding stock: warehouse, store or dark store. Never leaves the service; APIs return DTOs. */
@Entity({ name: 'locations' })
export class LocationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { unique: true }) code: string;
  @Column('text') name: string;
  @Column('text') type: 'warehouse' | 'store' | 'dark_store';
  @Column('double precision', { nullable: true }) lat: number | null;
  @Column('double precision', { nullable: true }) lng: number | null;
  @Column('text', { default: 'open' }) status: 'open' | 'closed';
  @Column('integer', { name: 'ships_in_days', default: 0 }) shipsInDays: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
