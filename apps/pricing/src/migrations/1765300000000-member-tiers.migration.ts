import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Pricing's projection of members' tiers from tier-changed: the latest tier version seen per member. */
export class MemberTiers1765300000000 implements MigrationInterface {
  name = 'MemberTiers1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE member_tiers (
      member_id text PRIMARY KEY,
      tier text NOT NULL,
      tier_version integer NOT NULL CHECK (tier_version >= 1),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS member_tiers');
  }
}
