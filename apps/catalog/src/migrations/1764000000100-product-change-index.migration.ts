import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Index behind the export's high-water mark (max of change_seq), read once per export page. */
export class ProductChangeIndex1764000000100 implements MigrationInterface {
  /** Creates the index. */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX products_change_seq ON products (change_seq)`);
  }

  /** Drops the index. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX products_change_seq`);
  }
}
