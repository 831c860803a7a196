import { heldBranchCheckDdl, heldBranchCheckDownDdl } from '@omni/tcc';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RESERVATION_HOLDS } from '../reservation/persistence/reservation-holds.store';

/**
 * A reservation past its deadline is no longer released by a sweeper of its own: the held-branch
 * resolver asks the order saga's coordinator and schedules its next look in `check_at`. The old
 * deadline index served only that sweeper.
 */
export class ReservationHolds1765000000000 implements MigrationInterface {
  name = 'ReservationHolds1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of heldBranchCheckDdl(RESERVATION_HOLDS)) await queryRunner.query(sql);
    await queryRunner.query(`DROP INDEX IF EXISTS reservations_open_deadline_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS reservations_open_deadline_idx ON reservations (deadline) WHERE status = 'tried'`);
    for (const sql of heldBranchCheckDownDdl(RESERVATION_HOLDS)) await queryRunner.query(sql);
  }
}
