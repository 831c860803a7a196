import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in for frontends: one-time codes sent to a phone (only the code's hash is kept), refresh
 * tokens (only their hash; a family per sign-in, so the reuse of a rotated token revokes the whole
 * family), and the ids of store QR login codes already used (a code works once).
 */
export class MemberSignIn1765300000000 implements MigrationInterface {
  name = 'MemberSignIn1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE otp_challenges (
        id text PRIMARY KEY,
        phone_hash text NOT NULL,
        code_hash text NOT NULL,
        channel text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'used', 'exhausted', 'replaced')),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
      `CREATE INDEX otp_challenges_phone_idx ON otp_challenges (phone_hash, created_at)`,
      `CREATE TABLE refresh_tokens (
        id text PRIMARY KEY,
        family_id text NOT NULL,
        member_id text NOT NULL REFERENCES members (id),
        channel text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'rotated', 'revoked')),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz NULL
      )`,
      `CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`,
      `CREATE TABLE store_login_codes_used (
        code_id text PRIMARY KEY,
        member_id text NOT NULL,
        location_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz NOT NULL
      )`,
    ];
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['store_login_codes_used', 'refresh_tokens', 'otp_challenges']) await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
