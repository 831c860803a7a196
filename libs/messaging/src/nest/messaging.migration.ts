import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingSchemaDownSql, messagingSchemaUpSql } from '../common/messaging-schema';

/** Creates messaging_outbox and messaging_inbox. */
export class MessagingTables1763769600000 implements MigrationInterface {
  name = 'MessagingTables1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of messagingSchemaUpSql) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of messagingSchemaDownSql) await queryRunner.query(sql);
  }
}

/** The messaging migrations; every app adds them to its DataSource `migrations`. */
export const messagingMigrations = [MessagingTables1763769600000];
