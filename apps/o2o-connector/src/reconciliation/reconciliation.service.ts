import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { O2O_RECONCILIATION_MISMATCH } from '@omni/contracts';
import { OutboxWriter } from '@omni/messaging';
import { DomainError, DomainErrorType, SERVICE_CONFIG } from '@omni/platform';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { O2oConnectorEnv, platformSettingsFrom } from '../config/o2o-connector.config';
import type { PlatformAdapter } from '../domain/platform-adapter.port';
import { reconcile, summarise } from '../domain/reconciliation';
import { PlatformOrderStore } from '../order-intake/platform-order.store';
import { PLATFORM_ADAPTERS } from '../platforms/platform-adapters.provider';
import { ReconciliationStore, type StatementSummary, type StatementView } from './reconciliation.store';

/** Advisory lock of the daily run, so two replicas do not both reconcile a day. */
const SCHEDULE_LOCK_KEY = 0x0_2_0_c1;
/** How often the schedule looks whether today's run is due. */
const SCHEDULE_CHECK_MS = 60_000;

/**
 * The daily settlement check: fetches a platform's statement for one business day, compares it with
 * the orders we accepted from it that day at the commission rate agreed with it (config), keeps the
 * statement with its matched, missing, extra and amount-mismatched lines, and publishes
 * o2o-reconciliation-mismatch (in the same transaction) when any line is not matched. Runs each day
 * for the day before at O2O_RECONCILIATION_HOUR_UTC, and whenever staff ask.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationService.name);
  private readonly adapters: Map<string, PlatformAdapter>;
  private readonly commissionBps: Map<string, number>;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(PLATFORM_ADAPTERS) adapters: PlatformAdapter[],
    @Inject(SERVICE_CONFIG) private readonly env: O2oConnectorEnv,
    private readonly dataSource: DataSource,
    private readonly store: ReconciliationStore,
    private readonly platformOrders: PlatformOrderStore,
    private readonly outbox: OutboxWriter,
  ) {
    this.adapters = new Map(adapters.map((adapter) => [adapter.platform, adapter]));
    this.commissionBps = new Map(platformSettingsFrom(env).map((platform) => [platform.channel, platform.commissionBps]));
  }

  /** Starts the daily schedule (unless O2O_RECONCILIATION_HOUR_UTC is -1). */
  onApplicationBootstrap(): void {
    if (this.env.O2O_RECONCILIATION_HOUR_UTC < 0 || this.adapters.size === 0) return;
    this.timer = setInterval(() => void this.scheduled(new Date()).catch((error: Error) => this.logger.warn(`scheduled reconciliation failed: ${error.message}`)), SCHEDULE_CHECK_MS);
  }

  /** Stops it. */
  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reconciles one platform's business day now (a staff-triggered run). */
  run(platform: string, day: string, trigger: 'schedule' | 'staff' = 'staff'): Promise<StatementView> {
    const adapter = this.known(platform);
    return this.reconcile(adapter, day, trigger);
  }

  /** A platform's statements, newest first. */
  list(platform: string, limit: number): Promise<StatementSummary[]> {
    this.known(platform);
    return this.store.list(this.dataSource, platform, limit);
  }

  /** One statement with its lines. */
  async get(id: string): Promise<StatementView> {
    const statement = await this.store.get(this.dataSource, id);
    if (!statement) throw new DomainError(DomainErrorType.NotFound, 'STATEMENT_NOT_FOUND', `reconciliation statement ${id} does not exist`);
    return statement;
  }

  /** The schedule's check: at the configured hour, yesterday's statement of each platform, once. */
  async scheduled(now: Date): Promise<void> {
    if (now.getUTCHours() !== this.env.O2O_RECONCILIATION_HOUR_UTC) return;
    const day = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    for (const adapter of this.adapters.values()) {
      await this.dataSource.transaction(async (tx) => {
        const [{ locked }] = (await tx.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [SCHEDULE_LOCK_KEY])) as Array<{ locked: boolean }>;
        if (!locked || (await this.store.scheduledExists(tx, adapter.platform, day))) return;
        await this.reconcile(adapter, day, 'schedule');
      });
    }
  }

  private async reconcile(adapter: PlatformAdapter, day: string, trigger: 'schedule' | 'staff'): Promise<StatementView> {
    const statement = await adapter.fetchSettlement(day);
    if (!statement.ok) {
      const failure = statement.failure;
      throw new DomainError(DomainErrorType.Unavailable, 'SETTLEMENT_UNAVAILABLE', `the ${adapter.platform} settlement of ${day} could not be read: ${'detail' in failure ? failure.detail : failure.kind}`);
    }
    const ours = (await this.platformOrders.acceptedOn(this.dataSource, adapter.platform, day))
      .filter((order) => order.orderId !== null && order.totalAmount !== null)
      .map((order) => ({ platformOrderId: order.platformOrderId, orderId: order.orderId!, totalAmount: order.totalAmount!, currency: order.currency ?? 'CNY' }));
    const rate = this.commissionBps.get(adapter.platform) ?? 0;
    const lines = reconcile(statement.value, ours, rate);
    const counts = summarise(lines);
    const id = uuidv7();
    await this.dataSource.transaction(async (tx) => {
      await this.store.insert(tx, { id, platform: adapter.platform, businessDay: day, commissionBps: rate, counts, trigger }, lines);
      if (counts.missing + counts.extra + counts['amount-mismatched'] > 0) {
        await this.outbox.add(tx, O2O_RECONCILIATION_MISMATCH, {
          schemaVersion: 1,
          occurredAt: new Date().toISOString(),
          statementId: id,
          platform: adapter.platform,
          businessDay: day,
          matched: counts.matched,
          missing: counts.missing,
          extra: counts.extra,
          amountMismatched: counts['amount-mismatched'],
          trigger,
        });
      }
    });
    this.logger.log(`${adapter.platform} ${day} reconciled: ${JSON.stringify(counts)}`);
    return (await this.store.get(this.dataSource, id))!;
  }

  private known(platform: string): PlatformAdapter {
    const adapter = this.adapters.get(platform);
    if (!adapter) throw new DomainError(DomainErrorType.NotFound, 'PLATFORM_NOT_FOUND', `no platform ${platform} is configured`, [{ field: 'platform', reason: 'not configured' }]);
    return adapter;
  }
}
