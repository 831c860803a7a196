import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { STOCK_CHANGED, type StockChangedEvent } from '@omni/contracts';
import { createKafka, EventConsumer, nestMessagingLogger, promMessagingMetrics, sleep, subscribe, TopicAdmin, TopicNames, type MessagingMetrics } from '@omni/messaging';
import { kafkaSecurityOf, MetricsService, SERVICE_CONFIG } from '@omni/platform';
import type { Kafka } from 'kafkajs';
import type { GatewayEnv } from '../config/gateway.config';
import { SoldOutMetrics } from './sold-out.metrics';
import { SoldOutProjection } from './sold-out.projection';

/**
 * Consumer groups of the sold-out projection start with this: one group per replica
 * (`gateway.sold-out.<host>-<pid>-<random>`), since every replica needs every partition. The
 * production KafkaUser of the gateway may read with groups under this prefix (tools/k8s).
 */
export const SOLD_OUT_GROUP_PREFIX = 'gateway.sold-out.';

/** Longest wait between two start attempts while Kafka refuses the consumer. */
const MAX_BACKOFF_MS = 30_000;

/**
 * Feeds the sold-out projection from stock-changed through the messaging library's consumer: a group
 * of this replica's own that starts at the topic's end offsets as of start-up and commits nothing
 * (a replica learns a SKU when it next changes; a restart forgets everything). Invalid events go to
 * stock-changed.dlq like any consumer's and the feed moves on.
 *
 * The projection answers only while the consumer is in its group: while it joins, rebalances,
 * reconnects or has crashed, what it holds may be behind, and every order takes the normal path.
 * It starts in the background: a Kafka outage at start-up delays the fast path, never the gateway.
 */
@Injectable()
export class SoldOutFeed implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SoldOut');
  private consumer?: EventConsumer;
  private stopped = false;
  /** Aborted at shutdown: cuts a backoff wait short. */
  private readonly stopping = new AbortController();
  private running?: Promise<void>;
  private kafkaClient?: Kafka;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly env: GatewayEnv,
    private readonly projection: SoldOutProjection,
    private readonly metrics: SoldOutMetrics,
    private readonly service: MetricsService,
  ) {
    metrics.observe({ answering: () => this.answering, soldOutPairs: () => projection.soldOutPairs });
  }

  /** True while the consumer is in its group, so the projection is as fresh as the topic. */
  get answering(): boolean {
    return this.consumer?.memberOfGroupSince != null;
  }

  /** Starts consuming in the background when the fast path is on. */
  onApplicationBootstrap(): void {
    if (!this.env.SOLD_OUT_FAST_PATH) return;
    this.running = this.run();
  }

  /** Ends the start-up retries, lets a start in progress finish, then stops the consumer. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.running;
    await this.consumer?.stop();
  }

  private async run(): Promise<void> {
    let backoff = 500;
    while (!this.stopped) {
      const consumer = this.createConsumer();
      this.consumer = consumer;
      try {
        await this.ensureTopic();
        if (this.stopped) return;
        await consumer.start();
        this.logger.log({ msg: 'sold-out projection consuming stock-changed', group: consumer.groupId });
        return;
      } catch (error) {
        await consumer.stop();
        if (this.stopped) return;
        this.logger.warn({ msg: 'sold-out projection could not start; orders take the normal path until it does', retryInMs: backoff, error: (error as Error).message });
        await sleep(backoff, this.stopping.signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** The topic may not exist yet when inventory never ran: create it as inventory would. */
  private async ensureTopic(): Promise<void> {
    const admin = new TopicAdmin(this.kafka, new TopicNames(this.env.KAFKA_TOPIC_PREFIX));
    try {
      await admin.ensureTopics([STOCK_CHANGED], { includeDlq: true });
    } finally {
      await admin.close();
    }
  }

  private createConsumer(): EventConsumer {
    const instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    return new EventConsumer({
      kafka: this.kafka,
      // The topic prefix isolates an environment's groups as it does its topics (as messaging.runtime does).
      groupId: `${this.env.KAFKA_TOPIC_PREFIX}${SOLD_OUT_GROUP_PREFIX}${instance}`,
      subscriptions: [subscribe(STOCK_CHANGED, async (event) => this.apply(event))],
      topics: new TopicNames(this.env.KAFKA_TOPIC_PREFIX),
      offsets: 'end-at-start',
      fromBeginning: false,
      metrics: this.messagingMetrics,
      logger: nestMessagingLogger(this.logger),
    });
  }

  /** Applies one valid event; a stale one is counted as a duplicate. */
  private apply(event: StockChangedEvent): 'duplicate' | undefined {
    if (this.projection.apply(event) === 'stale') return 'duplicate';
    this.metrics.applied(event.occurredAt);
    return undefined;
  }

  /** One Kafka client for the consumer, its dead letters and the topic admin, made on first use. */
  private get kafka(): Kafka {
    this.kafkaClient ??= createKafka({ clientId: 'gateway-sold-out', brokers: this.env.KAFKA_BROKERS, security: kafkaSecurityOf(this.env), logger: nestMessagingLogger(this.logger) });
    return this.kafkaClient;
  }

  /** The messaging counters, with the group named by its prefix: one series for every replica and restart. */
  private get messagingMetrics(): MessagingMetrics {
    const shared = promMessagingMetrics(this.service.registry);
    const group = SOLD_OUT_GROUP_PREFIX.slice(0, -1);
    return {
      consumed: (topic, _group, outcome) => shared.consumed?.(topic, group, outcome),
      deadLettered: (topic) => shared.deadLettered?.(topic, group),
      retried: (topic) => shared.retried?.(topic, group),
    };
  }
}
