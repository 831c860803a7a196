import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The return intake credits a restocked return to the owners an order's deductions took the units
 * from, minus what the order's earlier returns already gave back: those are found by order id in the
 * return operations of the idempotency log.
 */
export class ReturnIntake1764150000000 implements MigrationInterface {
  name = 'ReturnIntake1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX stock_operations_return_order_idx ON stock_operations ((request->>'orderId')) WHERE kind = 'return'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS stock_operations_return_order_idx`);
  }
}
