import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Status of a reservation (one TCC branch of an order saga). */
export type ReservationStatus = 'tried' | 'confirmed' | 'cancelled' | 'rejected';

/** A reservation = the inventory branch of a saga; its lines say what is held where. */
@Entity({ name: 'reservations' })
export class ReservationEntity {
  @PrimaryColumn('text') gid: string;
  @PrimaryColumn('text', { name: 'branch_id' }) branchId: string;
  @Column('text') channel: string;
  @Column('text') status: ReservationStatus;
  @Column('timestamptz') deadline: Date;
  @Column('jsonb', { nullable: true }) reasons: Array<{ line: number; code: string; message: string }> | null;
  @Column('text', { name: 'release_reason', nullable: true }) releaseReason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
