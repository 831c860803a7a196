import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Units of one requested line held at one location × owner (a line may be split). */
@Entity({ name: 'reservation_lines' })
export class ReservationLineEntity {
  @PrimaryColumn('text') gid: string;
  @PrimaryColumn('text', { name: 'branch_id' }) branchId: string;
  @PrimaryColumn('integer', { name: 'line_no' }) lineNo: number;
  @PrimaryColumn('uuid', { name: 'location_id' }) locationId: string;
  @PrimaryColumn('uuid', { name: 'owner_id' }) ownerId: string;
  @Column('text') sku: string;
  @Column('integer') quantity: number;
  /** Units taken from the channel's dedicated quota, given back on release. */
  @Column('integer', { name: 'quota_units', default: 0 }) quotaUnits: number;
}
