import { Link, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { validatePayload } from '@omni/contracts';
import { AnyEventContract, asObjectContract } from '../common/any-event-contract';
import { Consumer, EachBatchPayload, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import { RenewableProducer } from '../common/renewable-producer';
import { backoffDelay, sleep, withTimeout } from '../common/backoff';
import { CE, headersToStrings } from '../common/cloud-events';
import { errorMessage, isPermanentError } from '../common/errors';
import { MessagingLogger, MessagingMetrics, stderrLogger } from '../common/observability';
import { topicMessages } from '../common/topic-messages';
import { TopicNames } from '../common/topic-names';
import { extractTraceContext } from '../common/trace-context';
import { DeadLetterWriter } from './dead-letter.writer';
import { EventBatching, EventContext, EventSubscription } from './event-context';
import { findNulCharacter } from './nul-character';

/** Settings of an EventConsumer. */
export interface EventConsumerOptions {
  kafka: Kafka;
  /** Kafka consumer group; also the inbox's consumer group. */
  groupId: string;
  /** The contracts this group consumes, each with its handler (one per topic). */
  subscriptions: EventSubscription[];
  topics?: TopicNames;
  /** Handler attempts before a transient failure is dead-lettered (default 8). */
  maxAttempts?: number;
  /** Retry backoff (defaults 100 ms doubling to 5 s, with jitter). */
  backoff?: { initialMs: number; maxMs: number };
  /** Where a new group starts reading (default true: from the beginning, so nothing is missed). */
  fromBeginning?: boolean;
  /**
   * Where reading starts and resumes. `committed` (default): from the group's committed offsets (a
   * new group as `fromBeginning` says), committed as events are handled. `end-at-start`: for a
   * group of one replica's own (an in-memory view that needs every partition): nothing is
   * committed; reading starts at the end offsets the topics had when `start` was called and, after
   * a rejoin or a restart of the kafkajs consumer, resumes after the last event handled, so no
   * event published after `start` is skipped while this object lives.
   */
  offsets?: 'committed' | 'end-at-start';
  /** Longest a fetch waits for data, in ms (default CONSUMER_MAX_WAIT_MS). */
  maxWaitTimeInMs?: number;
  /**
   * Bytes a fetch waits for before it answers, unless `maxWaitTimeInMs` passes first (default 1:
   * an event is fetched as soon as it is written). See GATHERED_FETCH_MIN_BYTES.
   */
  minBytes?: number;
  /** Partitions handled in parallel (default 1); order within a partition always holds. */
  partitionsConsumedConcurrently?: number;
  /** How long the broker waits for a silent member before moving its partitions, ms (default CONSUMER_SESSION_TIMEOUT_MS). */
  sessionTimeout?: number;
  metrics?: MessagingMetrics;
  logger?: MessagingLogger;
}

type Decoded = { ok: true; payload: object; ctx: EventContext } | { ok: false; reason: string };
/** A decoded event waiting in a batch run. */
type RunEvent = { message: KafkaMessage; payload: object; ctx: EventContext };

const tracer = trace.getTracer('@omni/messaging');
const HEARTBEAT_EVERY_MS = 1000;
/** Attempts at reading a topic's end offsets (about 4.5 s in all) before `start` fails; a topic created a moment ago may have no leaders yet. */
const END_OFFSET_ATTEMPTS = 10;

/**
 * Session timeout of every consumer, ms. When a replica dies without leaving its group (kill -9, a
 * lost node), its partitions stand still until the broker gives up on it: at kafkajs' 30 s default,
 * half a minute of orders went undecided although a healthy replica was running. 6 s is the
 * broker's smallest allowed value by default (group.min.session.timeout.ms); with a heartbeat every
 * second a live member misses five heartbeats before it is dropped. A handler that blocks longer
 * than this without heartbeating loses its partitions, which is why every retry wait heartbeats.
 */
export const CONSUMER_SESSION_TIMEOUT_MS = 6000;
/** Heartbeat interval, ms: a third or less of the session timeout, as Kafka recommends. */
export const CONSUMER_HEARTBEAT_INTERVAL_MS = 1000;
/**
 * Longest a fetch waits at the broker for data, ms. A fetch is a long poll: the broker answers as
 * soon as a record arrives, so this bounds how often an idle consumer asks, not how late it sees
 * an event. Idle, the suite's cost is mostly these fetches and the broker answering them (every
 * empty answer is decoded partition by partition): at 100 ms each consumer sent ten a second, at
 * 1 s one, at 2 s one every two seconds. Not longer: kafkajs heartbeats (and learns of a
 * rebalance) only between fetches, so an idle member heartbeats every 2 s, a third of the session
 * timeout as Kafka recommends; a member joining or leaving waits up to this long for the others to
 * notice, and a stopping consumer waits for its fetch in flight.
 */
export const CONSUMER_MAX_WAIT_MS = 2 * CONSUMER_HEARTBEAT_INTERVAL_MS;

/**
 * Fetch size of a gathered consumer group (MessagingModuleOptions.gatheredGroups): the broker
 * holds each fetch until this much is waiting or CONSUMER_MAX_WAIT_MS passes. A group that keeps a
 * read model or a feed (shelf labels, channel feeds, platform stock) then sees its events up to two
 * seconds late, and in exchange takes them in long runs: one fetch, one transaction and one outbox
 * insert for many events instead of one each. Idle, it asks as often as any group (every 2 s).
 */
export const GATHERED_FETCH_MIN_BYTES = 64 * 1024;
/**
 * How long a rebalance waits for every member to rejoin, ms. A live member rejoins within one
 * heartbeat; a dead one is dropped by its session timeout, so waiting longer than that buys nothing.
 */
export const CONSUMER_REBALANCE_TIMEOUT_MS = 10_000;
/**
 * How long a handled event's offset may wait before it is committed, ms. kafkajs' auto-commit
 * sends an OffsetCommit after every fetched batch, and under load a batch is often one event: the
 * broker appended to `__consumer_offsets` once per event per group, a quarter of its CPU in the
 * checkout bench. Every handler is idempotent (the inbox, versions), so a group commits what
 * it handled at most this long after the first uncommitted event, when a rebalance starts, and
 * before a consumer leaves its group; a replica killed without leaving has its partitions' last
 * second of events read again by the next owner, which skips them.
 */
export const OFFSET_COMMIT_DELAY_MS = 1000;

/**
 * Consumes the physical topics of its contracts as one group. Each message is decoded from its
 * CloudEvents headers and validated; malformed ones go to `<topic>.dlq` with the reason. A valid one
 * is handed to its handler inside the publisher's trace context; a transient failure is retried with
 * backoff (heartbeating), a permanent one or exhausted retries go to the DLQ. An offset is
 * committed only after the handler succeeded or the DLQ write was acknowledged (within
 * OFFSET_COMMIT_DELAY_MS), and one bad message never stops the consumer.
 *
 * A subscription with `batch` has runs of consecutive events it accepts applied by its batch
 * handler (e.g. one transaction for a few hundred events); any other event is handled alone, in
 * its place. A batch that fails is applied again event by event, each with the retries and the
 * DLQ above, so batching changes the cost, never the outcome. A batch screen may answer some
 * events of a run without any transaction (see EventScreenFn); the rest go to the batch handler.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  /** Dead letters, and the answers of a batch screen. */
  private readonly producer: RenewableProducer;
  private readonly byTopic = new Map<string, EventSubscription>();
  private readonly logger: MessagingLogger;
  private readonly stopSignal = new AbortController();
  private readonly joined: Promise<void>;
  private stopping = false;
  private started = false;
  private memberSince: number | null = null;
  private readonly deadLetters: DeadLetterWriter;
  /** With `offsets: 'end-at-start'`: the next offset to read, per physical topic and partition. */
  private readonly positions = new Map<string, Map<number, string>>();
  /** With `offsets: 'committed'`: the next offset to read after what was handled and not yet committed, per physical topic and partition. */
  private readonly uncommitted = new Map<string, Map<number, string>>();
  private commitTimer: NodeJS.Timeout | null = null;
  /** The commit in flight, if any: commits go one after the other. */
  private committing: Promise<void> = Promise.resolve();
  /** Fetched batches (or messages) being handled; `stop` lets them finish before the last commit. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: EventConsumerOptions) {
    const topics = options.topics ?? new TopicNames();
    for (const subscription of options.subscriptions) {
      const physical = topics.physical(subscription.contract.topic);
      if (this.byTopic.has(physical)) throw new Error(`group ${options.groupId} has two handlers for topic ${subscription.contract.topic}`);
      this.byTopic.set(physical, subscription);
    }
    this.logger = options.logger ?? stderrLogger;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? CONSUMER_MAX_WAIT_MS,
      minBytes: options.minBytes ?? 1,
      sessionTimeout: options.sessionTimeout ?? CONSUMER_SESSION_TIMEOUT_MS,
      heartbeatInterval: CONSUMER_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeout: CONSUMER_REBALANCE_TIMEOUT_MS,
      allowAutoTopicCreation: false,
    });
    this.producer = new RenewableProducer(options.kafka, this.logger, `consumer ${options.groupId}`);
    this.deadLetters = new DeadLetterWriter({
      producer: this.producer,
      groupId: options.groupId,
      logger: this.logger,
      metrics: options.metrics,
      stopSignal: this.stopSignal.signal,
    });
    this.joined = new Promise((resolve) => this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()));
    const { GROUP_JOIN, REBALANCING, CRASH, DISCONNECT, STOP } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, () => (this.memberSince = Date.now()));
    for (const left of [REBALANCING, CRASH, DISCONNECT, STOP]) this.consumer.on(left, () => (this.memberSince = null));
    // A rebalance may hand this consumer's partitions to another member: commit what was handled
    // first, so the next owner reads little again (a commit with the old generation is still accepted).
    if (!this.ownsPositions) this.consumer.on(REBALANCING, () => void this.commitHandled());
    // Every join starts a fresh kafkajs offset manager, which would read from the latest offsets:
    // put each assigned partition back where this consumer is. GROUP_JOIN fires before the first fetch.
    if (this.ownsPositions) this.consumer.on(GROUP_JOIN, ({ payload }) => this.seekToPositions(payload.memberAssignment));
  }

  private get ownsPositions(): boolean {
    return this.options.offsets === 'end-at-start';
  }

  /**
   * Since when (epoch ms) this consumer has been a member of its group without interruption, or
   * null while it is joining, rebalancing, crashed or stopped: nothing it is sent arrives then.
   */
  get memberOfGroupSince(): number | null {
    return this.memberSince;
  }

  /** The physical topics this consumer reads, each with its contract (for health and tests). */
  get subscribedTopics(): ReadonlyArray<{ topic: string; contract: AnyEventContract }> {
    return [...this.byTopic.entries()].map(([topic, subscription]) => ({ topic, contract: subscription.contract }));
  }

  /** The consumer group id. */
  get groupId(): string {
    return this.options.groupId;
  }

  /**
   * Connects, subscribes and starts consuming. Returns before the group is joined (see `ready`):
   * kafkajs' `run` waits for the join, and a join waits for the rebalance, which after a replica's
   * death lasts until the broker drops the dead member. A service is ready to take requests long
   * before its consumers hold partitions, so start-up does not wait for that.
   */
  async start(): Promise<void> {
    if (this.ownsPositions) await this.readEndOffsets();
    await this.producer.connect();
    await this.consumer.connect();
    await this.subscribeWithRetry([...this.byTopic.keys()]);
    const batching = [...this.byTopic.values()].some((s) => s.batch);
    this.started = true;
    // kafkajs reports a failed join through its crash-and-restart path, not through this promise;
    // what could still reject here is a programming error, logged rather than left unhandled.
    this.consumer
      .run({
        // Offsets are committed by this class (see OFFSET_COMMIT_DELAY_MS), or never (`end-at-start`).
        autoCommit: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        // Offsets are resolved by hand: only what was applied or dead-lettered moves the group on.
        ...(batching ? { eachBatchAutoResolve: false, eachBatch: (payload) => this.onBatch(payload) } : { eachMessage: (payload) => this.onMessage(payload) }),
      })
      .catch((error: unknown) => this.logger.error('consumer failed to start', { group: this.options.groupId, error: errorMessage(error) }));
  }

  /**
   * Subscribes, retrying retriable broker errors: a topic created a moment ago (by this service's
   * start-up or another one's) may not have its metadata or leaders everywhere yet.
   */
  private async subscribeWithRetry(topics: string[]): Promise<void> {
    const maxAttempts = 8;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
        return;
      } catch (error) {
        if ((error as { retriable?: unknown }).retriable !== true || attempt >= maxAttempts) throw error;
        this.logger.warn('subscribe failed, retrying', { group: this.options.groupId, attempt, error: errorMessage(error) });
        await sleep(backoffDelay(attempt, 200, 3000), this.stopSignal.signal);
      }
    }
  }

  /** Records the end offset of every partition of the subscribed topics as the place to start. */
  private async readEndOffsets(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      for (const topic of this.byTopic.keys()) {
        for (let attempt = 1; ; attempt++) {
          try {
            const ends = await admin.fetchTopicOffsets(topic);
            this.positions.set(topic, new Map(ends.map(({ partition, high }) => [partition, high])));
            break;
          } catch (error) {
            if (attempt >= END_OFFSET_ATTEMPTS || this.stopping) throw error;
            this.logger.warn('could not read end offsets yet; retrying', { group: this.options.groupId, topic, attempt, error: errorMessage(error) });
            await sleep(100 * attempt, this.stopSignal.signal);
          }
        }
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Seeks each assigned partition to this consumer's own position (a partition it has none for reads as `fromBeginning` says). */
  private seekToPositions(assignment: Record<string, number[]>): void {
    for (const [topic, partitions] of Object.entries(assignment)) {
      const known = this.positions.get(topic);
      for (const partition of partitions) {
        const offset = known?.get(partition);
        if (offset !== undefined) this.consumer.seek({ topic, partition, offset });
      }
    }
  }

  /**
   * Moves this consumer past a handled (or dead-lettered) message: its own position, or the offset
   * to commit within OFFSET_COMMIT_DELAY_MS.
   */
  private handled(topic: string, partition: number, offset: string): void {
    const next = (BigInt(offset) + 1n).toString();
    const byTopic = this.ownsPositions ? this.positions : this.uncommitted;
    const byPartition = byTopic.get(topic) ?? new Map<number, string>();
    byPartition.set(partition, next);
    byTopic.set(topic, byPartition);
    if (!this.ownsPositions && !this.commitTimer && !this.stopping) {
      this.commitTimer = setTimeout(() => {
        this.commitTimer = null;
        void this.commitHandled();
      }, OFFSET_COMMIT_DELAY_MS);
    }
  }

  /**
   * Commits every offset handled since the last commit. A failed commit (a rebalance under way, the
   * broker gone) is dropped: whoever owns the partition next reads those events again, and their
   * handlers skip what was already applied. Never rejects.
   */
  private commitHandled(): Promise<void> {
    this.committing = this.committing.then(async () => {
      if (this.uncommitted.size === 0) return;
      const offsets = [...this.uncommitted].flatMap(([topic, byPartition]) => [...byPartition].map(([partition, offset]) => ({ topic, partition, offset })));
      this.uncommitted.clear();
      try {
        await this.consumer.commitOffsets(offsets);
      } catch (error) {
        this.logger.warn('could not commit offsets; the events handled since the last commit will be read again and skipped', {
          group: this.options.groupId,
          partitions: offsets.length,
          error: errorMessage(error),
        });
      }
    });
    return this.committing;
  }

  /** Runs the handling of one fetched batch (or message), so `stop` can wait for it. */
  private async tracked(work: () => Promise<void>): Promise<void> {
    const running = work();
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    try {
      await running;
    } finally {
      this.inFlight.delete(settled);
    }
  }

  /** Resolves once the consumer joined its group and got partitions (bounded by `timeoutMs`). */
  ready(timeoutMs = 30_000): Promise<void> {
    return withTimeout(this.joined, timeoutMs, `consumer group ${this.options.groupId} join`);
  }

  /**
   * Stops handling, lets the message in flight finish (retry waits are cut short), commits what was
   * handled, then leaves the group and disconnects.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopSignal.abort();
    if (this.commitTimer) clearTimeout(this.commitTimer);
    this.commitTimer = null;
    try {
      await withTimeout(
        (async () => {
          if (this.started) {
            await Promise.all([...this.inFlight]);
            // Before leaving: a commit after the group moved on would be refused. Bounded, so a
            // broker that is gone costs the next owner a re-read, not a stuck shutdown.
            await withTimeout(this.commitHandled(), Math.min(timeoutMs / 2, OFFSET_COMMIT_DELAY_MS * 3), `consumer ${this.options.groupId} last commit`).catch((error: unknown) =>
              this.logger.warn('last offset commit did not finish; the next owner reads those events again', { group: this.options.groupId, error: errorMessage(error) }),
            );
            await this.consumer.disconnect();
          }
          await this.producer.disconnect();
        })(),
        timeoutMs,
        `consumer ${this.options.groupId} stop`,
      );
    } catch (error) {
      this.logger.warn('consumer did not stop cleanly', { group: this.options.groupId, error: errorMessage(error) });
    }
  }

  private onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    return this.tracked(async () => {
      // Stopping: leave it to the next owner of the partition.
      if (this.stopping) return;
      await this.handleOne(topic, partition, message, heartbeat);
      this.handled(topic, partition, message.offset);
    });
  }

  /** A fetched batch of one partition: batchable runs go to the batch handler, the rest one by one, in order. */
  private onBatch(payload: EachBatchPayload): Promise<void> {
    return this.tracked(() => this.handleBatch(payload));
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const going = (): boolean => this.stopping || !isRunning() || isStale();
    const subscription = this.byTopic.get(topic);
    const batching = subscription?.batch;
    const run: RunEvent[] = [];
    const flush = async (): Promise<void> => {
      if (run.length === 0) return;
      const events = run.splice(0);
      await this.handleRun(topic, partition, subscription!, batching!, events, heartbeat);
      resolveOffset(events[events.length - 1].message.offset);
      this.handled(topic, partition, events[events.length - 1].message.offset);
    };
    for (const message of batch.messages) {
      // Stopping or rebalanced: leave the rest (and an unapplied run) to the next owner.
      if (going()) return;
      const decoded = batching && subscription ? decode(subscription.contract, topic, partition, message) : undefined;
      if (decoded?.ok && accepts(batching!, decoded.payload)) {
        run.push({ message, payload: decoded.payload, ctx: decoded.ctx });
        if (run.length >= (batching!.maxSize ?? 500)) await flush();
        continue;
      }
      await flush();
      await this.handleOne(topic, partition, message, heartbeat, decoded);
      resolveOffset(message.offset);
      this.handled(topic, partition, message.offset);
      await heartbeat();
    }
    if (going()) return;
    await flush();
  }

  /** Applies a run: what the screen answers is published, the rest goes to the batch handler; if that fails, each of its events alone. */
  private async handleRun(
    topic: string,
    partition: number,
    subscription: EventSubscription,
    batching: EventBatching,
    run: RunEvent[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    // One span for the batch, linked to each publisher's trace (a span has one parent, many links).
    const links = run.flatMap((e) => {
      const spanContext = trace.getSpanContext(extractTraceContext(e.ctx.headers));
      return spanContext ? [{ context: spanContext }] : [];
    });
    const events = batching.screen ? await this.screen(topic, partition, subscription, batching, run, links) : run;
    if (events.length === 0) {
      await heartbeat();
      return;
    }
    try {
      const result = await tracer.startActiveSpan(`${subscription.contract.topic} process batch`, { kind: SpanKind.CONSUMER, links }, async (span) => {
        span.setAttributes({ 'messaging.system': 'kafka', 'messaging.batch.message_count': events.length, 'messaging.consumer.group.name': this.groupId });
        try {
          return await batching.handle(events.map((e) => ({ payload: e.payload, ctx: e.ctx })));
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
          throw error;
        } finally {
          span.end();
        }
      });
      for (let i = 0; i < result.applied; i++) this.options.metrics?.consumed?.(topic, this.groupId, 'applied');
      for (let i = 0; i < result.duplicates; i++) this.options.metrics?.consumed?.(topic, this.groupId, 'duplicate');
    } catch (error) {
      if (this.stopping) throw error;
      this.logger.warn('batch failed; applying its events one by one', { topic, partition, events: events.length, firstOffset: events[0].message.offset, error: errorMessage(error) });
      for (const e of events) await this.handleOne(topic, partition, e.message, heartbeat);
    }
    await heartbeat();
  }

  /**
   * Publishes what the batch screen answers and returns the events it left to the batch handler:
   * all of them when the screen throws or its answers cannot be published (they are then applied
   * as if there were no screen; an answer that reached Kafka anyway is answered again).
   */
  private async screen(topic: string, partition: number, subscription: EventSubscription, batching: EventBatching, run: RunEvent[], links: Link[]): Promise<RunEvent[]> {
    return tracer.startActiveSpan(`${subscription.contract.topic} screen batch`, { kind: SpanKind.CONSUMER, links }, async (span) => {
      span.setAttributes({ 'messaging.system': 'kafka', 'messaging.batch.message_count': run.length, 'messaging.consumer.group.name': this.groupId });
      try {
        const answers = await batching.screen!(run.map((e) => e.payload));
        if (answers.length !== run.length) throw new Error(`the screen answered ${answers.length} of ${run.length} events`);
        const replies = answers.flatMap((a) => a ?? []);
        const rest = run.filter((_, i) => !answers[i]);
        if (rest.length < run.length && replies.length > 0) {
          const messages = replies.map((e) => ({ topic: e.topic, message: { key: e.key, value: JSON.stringify(e.payload), headers: e.headers } }));
          await this.producer.sendBatch({ topicMessages: topicMessages(messages), acks: -1 });
        }
        for (let i = rest.length; i < run.length; i++) this.options.metrics?.consumed?.(topic, this.groupId, 'answered');
        span.setAttribute('omni.messaging.answered', run.length - rest.length);
        return rest;
      } catch (error) {
        if (this.stopping) throw error;
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
        this.logger.warn('batch screen failed; the batch handler takes the whole run', { topic, partition, events: run.length, firstOffset: run[0].message.offset, error: errorMessage(error) });
        return run;
      } finally {
        span.end();
      }
    });
  }

  /** One message: decoded (unless the caller already did), applied with retries, or dead-lettered. */
  private async handleOne(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>, known?: Decoded): Promise<void> {
    const subscription = this.byTopic.get(topic);
    if (!subscription) return;
    const decoded = known ?? decode(subscription.contract, topic, partition, message);
    if (!decoded.ok) {
      await this.deadLetter(topic, partition, message, decoded.reason);
      return;
    }
    const { payload, ctx } = decoded;
    const maxAttempts = subscription.maxAttempts ?? this.options.maxAttempts ?? 8;
    const backoff = this.options.backoff ?? { initialMs: 100, maxMs: 5000 };
    const traceContext = extractTraceContext(ctx.headers);
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await context.with(traceContext, () =>
          tracer.startActiveSpan(`${subscription.contract.topic} process`, { kind: SpanKind.CONSUMER }, async (span) => {
            span.setAttributes({ 'messaging.system': 'kafka', 'messaging.message.id': ctx.id, 'messaging.consumer.group.name': this.groupId });
            try {
              return await subscription.handle(payload, ctx);
            } catch (error) {
              span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
              throw error;
            } finally {
              span.end();
            }
          }),
        );
        this.options.metrics?.consumed?.(topic, this.groupId, outcome === 'duplicate' ? 'duplicate' : 'applied');
        return;
      } catch (error) {
        if (isPermanentError(error)) {
          await this.deadLetter(topic, partition, message, errorMessage(error));
          return;
        }
        if (attempt >= maxAttempts) {
          await this.deadLetter(topic, partition, message, `retries exhausted: ${errorMessage(error)}`);
          return;
        }
        // Shutting down: leave the offset uncommitted; the next owner of the partition retries.
        if (this.stopping) throw error;
        this.options.metrics?.retried?.(topic, this.groupId);
        this.logger.warn('event handler failed; retrying', { topic, partition, offset: message.offset, eventId: ctx.id, attempt, error: errorMessage(error) });
        await this.pause(backoffDelay(attempt, backoff.initialMs, backoff.maxMs), heartbeat);
      }
    }
  }

  /** Waits between retries while heartbeating, so a long backoff does not cost the partition. */
  private async pause(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopping && Date.now() < until) {
      await sleep(Math.min(HEARTBEAT_EVERY_MS, until - Date.now()), this.stopSignal.signal);
      await heartbeat();
    }
  }

  private deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    return this.deadLetters.park(topic, partition, message, reason);
  }
}

/** Whether `batching` takes `payload`; a predicate that throws only sends the event down the one-by-one path. */
function accepts(batching: EventBatching, payload: object): boolean {
  try {
    return batching.accepts(payload) === true;
  } catch {
    return false;
  }
}

function decode(contract: AnyEventContract, topic: string, partition: number, message: KafkaMessage): Decoded {
  const headers = headersToStrings(message.headers as Record<string, unknown> | undefined);
  const id = headers[CE.id];
  const type = headers[CE.type];
  if (!id) return { ok: false, reason: `missing ${CE.id} header` };
  if (!type) return { ok: false, reason: `missing ${CE.type} header` };
  if (type !== contract.type) return { ok: false, reason: `unexpected ${CE.type} ${type} on ${contract.topic} (expected ${contract.type})` };
  if (!message.value || message.value.length === 0) return { ok: false, reason: 'empty message value' };
  // Headers are kept with the inbox row (jsonb): a NUL in one could never be recorded.
  const nulHeader = Object.entries(headers).find(([, value]) => value.includes('\u0000'))?.[0];
  if (nulHeader) return { ok: false, reason: `NUL character in header ${nulHeader}` };
  let raw: unknown;
  try {
    raw = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${errorMessage(error)}` };
  }
  const nulAt = findNulCharacter(raw);
  if (nulAt) return { ok: false, reason: `NUL character in ${nulAt} (Postgres text cannot hold it)` };
  const validation = validatePayload(asObjectContract(contract), raw);
  if (!validation.ok) return { ok: false, reason: validation.errors.join('; ') };
  const ctx: EventContext = {
    id,
    type,
    topic,
    partition,
    offset: message.offset,
    headers,
    key: message.key ? message.key.toString('utf8') : null,
    traceparent: headers.traceparent,
  };
  return { ok: true, payload: validation.value, ctx };
}
