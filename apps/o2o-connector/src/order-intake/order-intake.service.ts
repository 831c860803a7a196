import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, DomainErrorType } from '@omni/platform';
import { DataSource } from 'typeorm';
import { IdMapper } from '../domain/id-mapping';
import {
  answerFor,
  decisionDeadline,
  intakeIdempotencyKey,
  orderRequestOf,
  platformPaymentRef,
  refusedReason,
  unmappedReason,
  type OrderOutcome,
} from '../domain/order-intake.decider';
import type { InboundWebhook, PlatformAdapter, PlatformCallResult, PlatformOrder } from '../domain/platform-adapter.port';
import { MappingStore } from '../mappings/mapping.store';
import { PLATFORM_ADAPTERS } from '../platforms/platform-adapters.provider';
import { OrderServiceClient } from './order-service.client';
import { PlatformOrderStore } from './platform-order.store';

/** What a webhook led to, as the webhook route answers it. */
export interface WebhookResult {
  platformOrderId: string;
  answer: 'accepted' | 'rejected' | 'cancelled' | 'ignored';
  orderId?: string;
  reason?: string;
}

/** How long to wait for our order's decision when the platform gives no acceptance deadline. */
const DEFAULT_DECISION_WAIT_MS = 30_000;

/**
 * Platform webhooks: a new platform order is verified, mapped (an unknown id is rejected back, never
 * guessed), created in the order service under a key derived from the platform's order id (so a
 * redelivered webhook makes no second order), then accepted on the platform and paid, or rejected
 * with the reason; a platform cancellation cancels our order. A failure of either side that a
 * retry can mend answers 503, and the platform's redelivery repeats the whole (idempotent) intake.
 */
@Injectable()
export class OrderIntakeService {
  private readonly logger = new Logger(OrderIntakeService.name);
  private readonly adapters: Map<string, PlatformAdapter>;

  constructor(
    @Inject(PLATFORM_ADAPTERS) adapters: PlatformAdapter[],
    private readonly dataSource: DataSource,
    private readonly mappings: MappingStore,
    private readonly platformOrders: PlatformOrderStore,
    private readonly orders: OrderServiceClient,
  ) {
    this.adapters = new Map(adapters.map((adapter) => [adapter.platform, adapter]));
  }

  /** Verifies a webhook (401 when forged, stale or unsigned) and handles its event. */
  async webhook(platform: string, webhook: InboundWebhook): Promise<WebhookResult> {
    const adapter = this.adapters.get(platform);
    if (!adapter) throw new DomainError(DomainErrorType.NotFound, 'PLATFORM_NOT_FOUND', `no platform ${platform} is configured`);
    const verdict = adapter.verifyWebhook(webhook, new Date());
    if (!verdict.ok) {
      if (verdict.reason === 'malformed') throw new DomainError(DomainErrorType.InvalidInput, 'WEBHOOK_MALFORMED', 'the webhook body is not an event this platform sends');
      this.logger.warn(`${platform} webhook refused: ${verdict.reason}`);
      throw new DomainError(DomainErrorType.Unauthorized, 'WEBHOOK_SIGNATURE_INVALID', `the webhook signature is ${verdict.reason}`);
    }
    const event = verdict.event;
    return event.kind === 'order-created' ? this.intake(adapter, event.order) : this.cancelled(adapter, event.platformOrderId, event.reason);
  }

  private async intake(adapter: PlatformAdapter, order: PlatformOrder): Promise<WebhookResult> {
    const platform = adapter.platform;
    const id = order.platformOrderId;
    const record = await this.platformOrders.received(this.dataSource, platform, id, order.totalAmount);
    // A redelivery of an order we already turned down or saw cancelled: the same answer again.
    if (record.status === 'rejected') return this.reject(adapter, id, record.reason ?? 'rejected', record.orderId ?? undefined);
    if (record.status === 'cancelled') return { platformOrderId: id, answer: 'cancelled', ...(record.orderId ? { orderId: record.orderId } : {}) };
    // Already accepted (and paid): the platform has our answer; the order may have moved on since.
    if (record.status === 'accepted' && record.orderId) return { platformOrderId: id, answer: 'accepted', orderId: record.orderId };

    const mapped = new IdMapper(await this.mappings.load(this.dataSource, platform)).orderInOurIds(order.platformStore, order.lines);
    if (!mapped.ok) return this.reject(adapter, id, unmappedReason(mapped));

    const created = await this.orders.create(orderRequestOf(platform, order, mapped.locationId, mapped.lines), intakeIdempotencyKey(platform, id));
    if (!created.ok && created.refused) return this.reject(adapter, id, refusedReason(created.status, created.body));
    if (!created.ok) throw unavailable(`the order service could not take the order: ${created.detail}`);
    let ours = created.order;
    await this.platformOrders.linked(this.dataSource, platform, id, ours, mapped.locationId);

    const until = decisionDeadline(order.acceptBy, Date.now(), DEFAULT_DECISION_WAIT_MS);
    while (answerFor(ours).kind === 'wait' && Date.now() < until) {
      await sleep(250);
      const read = await this.orders.get(ours.id);
      if (read.ok) ours = read.order;
    }
    const answer = answerFor(ours);
    if (answer.kind === 'wait') {
      // Undecided at the platform's deadline: give the stock back rather than accept late.
      await this.orders.cancelUnpaid(ours.id);
      return this.reject(adapter, id, 'could not be confirmed in time', ours.id);
    }
    if (answer.kind === 'reject') return this.reject(adapter, id, answer.reason, ours.id);
    return this.accept(adapter, id, ours);
  }

  private async accept(adapter: PlatformAdapter, platformOrderId: string, ours: OrderOutcome): Promise<WebhookResult> {
    const accepted = await safely(adapter.acceptOrder(platformOrderId));
    if (!accepted.ok) {
      if (accepted.failure.kind !== 'refused') throw unavailable(`the platform did not take our acceptance: ${accepted.failure.kind}`);
      // The platform will not have it (its deadline passed, or the buyer cancelled): release our stock.
      if (ours.status === 'reserved') await this.orders.cancelUnpaid(ours.id);
      await this.platformOrders.decided(this.dataSource, adapter.platform, platformOrderId, 'cancelled', accepted.failure.detail.slice(0, 200));
      return { platformOrderId, answer: 'cancelled', orderId: ours.id, reason: accepted.failure.detail };
    }
    if (ours.status === 'reserved') {
      // The buyer paid the platform: confirm our reservation as paid (idempotent by payment reference).
      const paid = await this.orders.pay(ours, platformPaymentRef(adapter.platform, platformOrderId), new Date().toISOString());
      if (!paid.ok) throw unavailable(`the order's payment could not be recorded: ${paid.detail}`);
    }
    await this.platformOrders.decided(this.dataSource, adapter.platform, platformOrderId, 'accepted', null);
    return { platformOrderId, answer: 'accepted', orderId: ours.id };
  }

  private async reject(adapter: PlatformAdapter, platformOrderId: string, reason: string, orderId?: string): Promise<WebhookResult> {
    const rejected = await safely(adapter.rejectOrder(platformOrderId, reason));
    if (!rejected.ok && rejected.failure.kind !== 'refused') throw unavailable(`the platform did not take our rejection: ${rejected.failure.kind}`);
    await this.platformOrders.decided(this.dataSource, adapter.platform, platformOrderId, 'rejected', reason);
    return { platformOrderId, answer: 'rejected', reason, ...(orderId ? { orderId } : {}) };
  }

  private async cancelled(adapter: PlatformAdapter, platformOrderId: string, reason: string): Promise<WebhookResult> {
    const record = await this.platformOrders.find(this.dataSource, adapter.platform, platformOrderId);
    if (!record) return { platformOrderId, answer: 'ignored', reason: 'unknown platform order' };
    if (record.orderId) {
      const result = await this.orders.cancelByChannel(record.orderId, reason || 'cancelled on the platform');
      if (!result.ok && !result.refused) throw unavailable(`the order service could not cancel the order: ${result.detail}`);
      if (!result.ok) this.logger.warn(`platform cancellation of ${record.orderId} refused: ${JSON.stringify(result.body)}`);
    }
    await this.platformOrders.decided(this.dataSource, adapter.platform, platformOrderId, 'cancelled', reason || 'cancelled on the platform');
    return { platformOrderId, answer: 'cancelled', ...(record.orderId ? { orderId: record.orderId } : {}) };
  }
}

function unavailable(message: string): DomainError {
  return new DomainError(DomainErrorType.Unavailable, 'UPSTREAM_UNAVAILABLE', message);
}

/** An adapter call that threw (it should not) counts as unavailable. */
async function safely(call: Promise<PlatformCallResult>): Promise<PlatformCallResult> {
  return call.catch((error: Error) => ({ ok: false as const, failure: { kind: 'unavailable' as const, detail: error.message } }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
