import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Channel API keys: hashed, bound to one channel (and optionally one store), revocable. */
export class ChannelApiKeys1764100000000 implements MigrationInterface {
  /** Creates the key table; the hash is unique so a lookup finds at most one key. */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE channel_api_keys (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        channel text NOT NULL CHECK (channel ~ '^[a-z0-9-]{1,32}$'),
        location_id uuid NULL,
        key_hash char(64) NOT NULL UNIQUE,
        key_hint text NOT NULL,
        rate_limit_per_minute integer NULL CHECK (rate_limit_per_minute > 0),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz NULL
      )`);
    await queryRunner.query(`CREATE INDEX channel_api_keys_channel_idx ON channel_api_keys (channel)`);
  }

  /** Drops the key table. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE channel_api_keys`);
  }
}
