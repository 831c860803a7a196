import { randomInt } from 'node:crypto';
import { ORDER_READY_FOR_PICKUP, ORDER_SHIPPED } from '@omni/contracts';
import type { OutboxWriter } from '@omni/messaging';
import { DomainError, DomainErrorType } from '@omni/platform';
import type { Clock, SqlExecutor } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { OrderEvent, OrderStatus, transitionOrder } from '../lifecycle/order-lifecycle';
import { OrderStore } from '../orders/order.store';
import type { OrderView } from '../orders/order.types';

type Row = Record<string, unknown>;

/** After payment: picking, ready for pickup (code + event) or shipped (carrier, tracking), completed. */
export class FulfilmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: OrderStore,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /** paid → picking. */
  startPicking(id: string): Promise<OrderView> {
    return this.step(id, 'start-picking', async () => ({}));
  }

  /** picking → ready_for_pickup, with a pickup code and order-ready-for-pickup (a delivery order waits for its courier). */
  readyForPickup(id: string): Promise<OrderView> {
    return this.step(id, 'ready-for-pickup', async (tx, row, now) => {
      const fulfilment = row.fulfilment as { type: string; locationId: string };
      if (fulfilment.type !== 'pickup' && fulfilment.type !== 'delivery') throw mismatch(`a ${fulfilment.type} order is not picked up`);
      const pickupCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await this.outbox.add(tx, ORDER_READY_FOR_PICKUP, {
        schemaVersion: 1,
        occurredAt: now.toISOString(),
        orderId: id,
        channel: String(row.channel),
        locationId: fulfilment.locationId,
        pickupCode,
        readyAt: now.toISOString(),
      });
      return { pickup_code: pickupCode };
    });
  }

  /** picking → shipped (ship or delivery orders), or ready_for_pickup → shipped (the delivery courier picked it up); order-shipped. */
  ship(id: string, carrier: string, trackingNumber: string): Promise<OrderView> {
    return this.step(id, 'ship', async (tx, row, now) => {
      const type = (row.fulfilment as { type: string }).type;
      if (type === 'pickup') throw mismatch('a pickup order is not shipped');
      if (row.status === 'ready_for_pickup' && type !== 'delivery') throw mismatch('only a delivery order is collected by a courier');
      await this.outbox.add(tx, ORDER_SHIPPED, { schemaVersion: 1, occurredAt: now.toISOString(), orderId: id, channel: String(row.channel), carrier, trackingNumber, shippedAt: now.toISOString() });
      return { carrier, tracking_number: trackingNumber };
    });
  }

  /** ready_for_pickup | shipped → completed; a pickup needs the buyer's code. */
  complete(id: string, pickupCode?: string): Promise<OrderView> {
    return this.step(id, 'complete', async (_tx, row) => {
      if (row.status === 'ready_for_pickup' && row.pickup_code !== pickupCode) {
        throw new DomainError(DomainErrorType.Conflict, 'PICKUP_CODE_MISMATCH', 'the pickup code does not match');
      }
      return {};
    });
  }

  private async step(id: string, event: OrderEvent, work: (tx: SqlExecutor, row: Row, now: Date) => Promise<Record<string, unknown>>): Promise<OrderView> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.store.lock(m, id);
      if (!row) throw new DomainError(DomainErrorType.NotFound, 'ORDER_NOT_FOUND', `order ${id} does not exist`);
      const from = row.status as OrderStatus;
      const to = transitionOrder(from, event);
      const now = this.clock.now();
      const set = await work(m, row, now);
      await this.store.cas(m, id, [from], to, now, set);
    });
    return (await this.store.view(this.dataSource.manager, id))!;
  }
}

function mismatch(message: string): DomainError {
  return new DomainError(DomainErrorType.Conflict, 'FULFILMENT_MISMATCH', message);
}
