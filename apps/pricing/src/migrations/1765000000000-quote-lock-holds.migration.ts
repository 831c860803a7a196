import { heldBranchCheckDdl, heldBranchCheckDownDdl } from '@omni/tcc';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { QUOTE_LOCK_HOLDS } from '../quote-lock/quote-lock-holds.store';

/**
 * A quote lock past its deadline is no longer cancelled by a sweeper of its own: the held-branch
 * resolver asks the order saga's coordinator and schedules its next look in `check_at`.
 */
export class QuoteLockHolds1765000000000 implements MigrationInterface {
  name = 'QuoteLockHolds1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of heldBranchCheckDdl(QUOTE_LOCK_HOLDS)) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of heldBranchCheckDownDdl(QUOTE_LOCK_HOLDS)) await queryRunner.query(sql);
  }
}
