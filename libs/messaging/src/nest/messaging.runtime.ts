import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Kafka } from 'kafkajs';
import { ClientConfig } from 'pg';
import { EntityManager } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { AnyEventContract } from '../common/any-event-contract';
import { errorMessage } from '../common/errors';
import { createKafka } from '../common/kafka-client';
import { MessagingLogger } from '../common/observability';
import { TopicNames } from '../common/topic-names';
import { EventConsumer, GATHERED_FETCH_MIN_BYTES } from '../consumer/event-consumer';
import { EventHandlerFn, EventScreenFn, EventSubscription } from '../consumer/event-context';
import { inboxBatchHandler, inboxHandler } from '../inbox/inbox-handler';
import { OutboxRelay } from '../outbox/outbox-relay';
import { INBOX_RETENTION, RetentionSweeper } from '../retention/retention-sweeper';
import { TopicAdmin } from '../topics/topic-admin';
import {
  EVENT_BATCH_HANDLER_METADATA,
  EVENT_HANDLER_METADATA,
  EVENT_SCREEN_METADATA,
  EventBatchHandlerMetadata,
  EventBatchHandlerMethod,
  EventHandlerMetadata,
  EventScreenMetadata,
  TransactionalEventContext,
} from './event-handler.decorator';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';
import { Outbox } from './outbox.service';
import { promMessagingMetrics } from './messaging-prom.metrics';

/** Routes the core's structured logs to Nest's logger (nestjs-pino when the platform installs it). */
export function nestMessagingLogger(logger: Logger): MessagingLogger {
  return {
    info: (msg, fields) => logger.log({ msg, ...fields }),
    warn: (msg, fields) => logger.warn({ msg, ...fields }),
    error: (msg, fields) => logger.error({ msg, ...fields }),
  };
}

/** Relay connection derived from the service's TypeORM Postgres options. */
function relayConnection(options: MessagingModuleOptions): string | ClientConfig {
  if (options.relay?.connection) return options.relay.connection;
  const db = options.dataSource.options as PostgresConnectionOptions;
  if (typeof db.password === 'function') throw new Error('messaging: set relay.connection when the database password is a function');
  return { connectionString: db.url, host: db.host, port: db.port, user: db.username, password: db.password, database: db.database, ssl: db.ssl as ClientConfig['ssl'] };
}

/**
 * Owns the Kafka side of the module: at bootstrap it creates the topics, starts the relay and the
 * consumers of every @EventHandler; before shutdown it stops consumers (in-flight finishes), then the
 * relay after a final drain, then the admin client, each step bounded in time.
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly nestLogger = new Logger('Messaging');
  private readonly logger = nestMessagingLogger(this.nestLogger);
  readonly kafka: Kafka;
  readonly topics: TopicNames;
  readonly admin: TopicAdmin;
  private relay?: OutboxRelay;
  private sweeper?: RetentionSweeper;
  private consumers: EventConsumer[] = [];

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly outbox: Outbox,
  ) {
    this.kafka = createKafka({ clientId: options.clientId, brokers: options.brokers, security: options.security, logger: this.logger });
    this.topics = new TopicNames(options.topicPrefix);
    this.admin = new TopicAdmin(this.kafka, this.topics);
  }

  /** The consumers started for the discovered handlers (for health and tests). */
  get activeConsumers(): readonly EventConsumer[] {
    return this.consumers;
  }

  /**
   * Since when (epoch ms) every consumer of this process has been in its group without
   * interruption, or null while any is joining, rebalancing or reconnecting (after a broker outage,
   * say): until then, replies to what this process sends cannot reach it.
   */
  consumingSince(): number | null {
    let since = 0;
    for (const consumer of this.consumers) {
      const member = consumer.memberOfGroupSince;
      if (member === null) return null;
      since = Math.max(since, member);
    }
    return since;
  }

  async onApplicationBootstrap(): Promise<void> {
    const metrics = this.options.metrics ?? promMessagingMetrics();
    const byGroup = this.discoverHandlers();
    const consumed = [...(this.options.consumes ?? []), ...[...byGroup.values()].flat().map((s) => s.contract)];
    if (!this.options.skipTopicCreation) {
      const created = await this.admin.ensureTopics(unique([...this.options.publishes, ...consumed]), { includeDlq: true });
      if (created.length > 0) this.logger.info('created topics', { topics: created });
    }
    if (this.options.publishes.length > 0 && this.options.relay?.enabled !== false) {
      this.relay = new OutboxRelay({
        kafka: this.kafka,
        connection: relayConnection(this.options),
        pollIntervalMs: this.options.relay?.pollIntervalMs,
        metrics,
        logger: this.logger,
      });
      await this.relay.start();
    }
    const retention = this.options.retention;
    if (retention && retention.intervalMs > 0) {
      this.sweeper = new RetentionSweeper({
        executor: this.options.dataSource,
        tables: [INBOX_RETENTION, ...(retention.tables ?? [])],
        keepMs: retention.keepMs,
        intervalMs: retention.intervalMs,
        logger: this.logger,
      });
      this.sweeper.start();
    }
    for (const [groupId, subscriptions] of byGroup) {
      const consumer = new EventConsumer({
        kafka: this.kafka,
        // The Kafka group is broker-wide: the topic prefix that isolates an environment (or a test
        // suite) must isolate its groups too, or two environments' consumers rebalance each other.
        // The inbox keeps the logical group name: it lives in the service's own database.
        groupId: `${this.options.topicPrefix}${groupId}`,
        subscriptions,
        topics: this.topics,
        metrics,
        logger: this.logger,
        ...this.options.consumer,
        ...(this.options.gatheredGroups?.includes(groupId) ? { minBytes: GATHERED_FETCH_MIN_BYTES } : {}),
      });
      this.consumers.push(consumer);
      await consumer.start();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.sweeper?.stop();
    // Consumers may take half of what is left (their in-flight messages finish); the outbox flush the rest.
    await Promise.all(this.consumers.map((c) => c.stop(this.stepTimeoutMs(0.5))));
    await this.relay?.stop(this.stepTimeoutMs(1));
    await this.admin.close().catch((error) => this.logger.warn('kafka admin disconnect failed', { error: errorMessage(error) }));
  }

  /** A step's time: `share` of what is left of the shutdown budget, or the fixed per-step bound without one. */
  private stepTimeoutMs(share: number): number {
    const left = this.options.shutdownRemainingMs?.();
    if (left === undefined) return this.options.shutdownTimeoutMs ?? 10_000;
    return Math.max(250, Math.floor(left * share));
  }

  private discoverHandlers(): Map<string, EventSubscription[]> {
    const byGroup = new Map<string, EventSubscription[]>();
    const batches: Array<{ groupId: string; meta: EventBatchHandlerMetadata; method: EventBatchHandlerMethod<object>; name: string }> = [];
    const screens: Array<{ groupId: string; meta: EventScreenMetadata; method: EventScreenFn<object>; name: string }> = [];
    const dataSource = this.options.dataSource;
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const target = (instance as Record<string, unknown>)[method];
        if (typeof target !== 'function') continue;
        const name = `${prototype.constructor.name}.${method}`;
        const batchMeta = this.reflector.get<EventBatchHandlerMetadata | undefined>(EVENT_BATCH_HANDLER_METADATA, target);
        if (batchMeta) {
          const groupId = batchMeta.options.group ?? this.options.consumerGroup ?? this.options.service;
          batches.push({ groupId, meta: batchMeta, method: (target as EventBatchHandlerMethod<object>).bind(instance), name });
        }
        const screenMeta = this.reflector.get<EventScreenMetadata | undefined>(EVENT_SCREEN_METADATA, target);
        if (screenMeta) {
          const groupId = screenMeta.options.group ?? this.options.consumerGroup ?? this.options.service;
          screens.push({ groupId, meta: screenMeta, method: (target as EventScreenFn<object>).bind(instance), name });
        }
        const meta = this.reflector.get<EventHandlerMetadata | undefined>(EVENT_HANDLER_METADATA, target);
        if (!meta) continue;
        const groupId = meta.options.group ?? this.options.consumerGroup ?? this.options.service;
        const bound = (target as (payload: object, ctx: TransactionalEventContext) => Promise<void>).bind(instance);
        const handle = inboxHandler<object, EntityManager>(
          { runInTransaction: (work) => dataSource.transaction(work), consumerGroup: groupId },
          (payload, { tx, ...ctx }) => bound(payload, { ...ctx, manager: tx }),
        );
        const subscriptions = byGroup.get(groupId) ?? [];
        let added = subscription(meta.contract, handle, meta.options.maxAttempts);
        if (meta.options.batched) {
          // The handler itself, applied to each event of a run in one transaction (see EventHandlerOptions.batched);
          // the events the run publishes through Outbox are written in one statement at its end.
          const batchHandle = inboxBatchHandler<object, EntityManager>({ runInTransaction: (work) => dataSource.transaction(work), consumerGroup: groupId }, (events, tx) =>
            this.outbox.gathering(tx, async () => {
              for (const e of events) await bound(e.payload, { ...e.ctx, manager: tx });
            }),
          );
          added = { ...added, batch: { accepts: () => true, maxSize: meta.options.batched === true ? DEFAULT_HANDLER_BATCH : meta.options.batched.maxSize, handle: batchHandle } };
        }
        subscriptions.push(added);
        byGroup.set(groupId, subscriptions);
        this.logger.info('event handler registered', { topic: meta.contract.topic, group: groupId, handler: name });
      }
    }
    // A batch handler joins the one-by-one handler of its contract and group, which stays its fallback.
    for (const { groupId, meta, method, name } of batches) {
      const subscriptions = byGroup.get(groupId) ?? [];
      const index = subscriptions.findIndex((s) => s.contract.topic === meta.contract.topic);
      if (index < 0) throw new Error(`messaging: ${name} batches ${meta.contract.topic} in group ${groupId}, which has no @EventHandler for it`);
      if (subscriptions[index].batch) throw new Error(`messaging: group ${groupId} has two batch handlers for ${meta.contract.topic}`);
      const handle = inboxBatchHandler<object, EntityManager>({ runInTransaction: (work) => dataSource.transaction(work), consumerGroup: groupId }, method);
      subscriptions[index] = { ...subscriptions[index], batch: { accepts: meta.options.accepts, maxSize: meta.options.maxSize, handle } };
      this.logger.info('event batch handler registered', { topic: meta.contract.topic, group: groupId, handler: name });
    }
    // A screen answers part of each run of a batch handler before its transaction.
    for (const { groupId, meta, method, name } of screens) {
      const subscriptions = byGroup.get(groupId) ?? [];
      const index = subscriptions.findIndex((s) => s.contract.topic === meta.contract.topic && s.batch);
      const batch = subscriptions[index]?.batch;
      if (!batch) throw new Error(`messaging: ${name} screens ${meta.contract.topic} in group ${groupId}, which has no @EventBatchHandler for it`);
      if (batch.screen) throw new Error(`messaging: group ${groupId} has two screens for ${meta.contract.topic}`);
      subscriptions[index] = { ...subscriptions[index], batch: { ...batch, screen: method } };
      this.logger.info('event batch screen registered', { topic: meta.contract.topic, group: groupId, handler: name });
    }
    return byGroup;
  }
}

/** Most events a `batched` handler applies in one transaction unless it says. */
const DEFAULT_HANDLER_BATCH = 200;

function subscription(contract: AnyEventContract, handle: EventHandlerFn, maxAttempts: number | undefined): EventSubscription {
  return { contract, handle, maxAttempts };
}

function unique(contracts: AnyEventContract[]): AnyEventContract[] {
  return [...new Map(contracts.map((c) => [c.topic, c])).values()];
}
