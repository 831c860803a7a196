import { ORDER_CANCELLED, ORDER_RETURN_DISPOSED } from '@omni/contracts';
import type { OutboxWriter } from '@omni/messaging';
import { DomainError, DomainErrorType } from '@omni/platform';
import { queryRows } from '@omni/sql';
import type { Clock, TccCoordinator } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { transitionOrder, type OrderStatus } from '../lifecycle/order-lifecycle';
import { NOTIFY_DECIDED_SQL } from '../saga/decision.waiter';
import { OrderStore } from './order.store';
import type { OrderView } from './order.types';

/**
 * The channel an order came from cancels it (a delivery platform's buyer or courier gave up), until
 * the goods left the store. Before payment the saga cancels every branch, as for a buyer. After
 * payment the stock was deducted but never left the store: each line is put back on sale there
 * through order-return-disposed (restocked), the path inventory already applies exactly once. The
 * channel refunds its buyer itself. Repeating it is harmless.
 */
export class ChannelCancelService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: OrderStore,
    private readonly coordinator: TccCoordinator,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /** Cancels the order on its channel's word. */
  async cancel(id: string): Promise<OrderView> {
    await this.dataSource.transaction(async (m) => {
      const saga = await this.coordinator.sql.lockGlobal(m, id);
      const row = await this.store.lock(m, id);
      if (!row) throw new DomainError(DomainErrorType.NotFound, 'ORDER_NOT_FOUND', `order ${id} does not exist`);
      const from = row.status as OrderStatus;
      if (from === 'cancelled' || from === 'rejected') return;
      transitionOrder(from, 'channel-cancel');
      const now = this.clock.now();
      const channel = String(row.channel);
      await this.store.cas(m, id, [from], 'cancelled', now, { cancel_reason: 'channel' });
      if (from === 'created' || from === 'reserved') {
        const decision = await this.coordinator.cancel(m, id, 'requested', saga);
        if (decision.status === 'refused') throw new DomainError(DomainErrorType.Conflict, decision.code, `the order's saga is ${decision.current}`);
      } else {
        const locationId = (row.fulfilment as { locationId?: string }).locationId;
        if (!locationId) throw new DomainError(DomainErrorType.Conflict, 'ORDER_NOT_AT_A_STORE', 'a paid order without a store cannot be cancelled by its channel');
        const lines = await queryRows<{ line_no: number; sku: string; quantity: number }>(m, `SELECT line_no, sku, quantity FROM order_lines WHERE order_id = $1 ORDER BY line_no`, [id]);
        for (const line of lines) {
          await this.outbox.add(m, ORDER_RETURN_DISPOSED, {
            schemaVersion: 1,
            occurredAt: now.toISOString(),
            orderId: id,
            returnId: uuidv7(),
            lineNo: Number(line.line_no),
            sku: line.sku,
            quantity: Number(line.quantity),
            locationId,
            channel,
            disposition: 'restocked' as const,
          });
        }
      }
      await this.outbox.add(m, ORDER_CANCELLED, { schemaVersion: 1, occurredAt: now.toISOString(), orderId: id, channel, reason: 'channel' as const });
      await queryRows(m, NOTIFY_DECIDED_SQL, [id]);
    });
    return (await this.store.view(this.dataSource.manager, id))!;
  }
}
