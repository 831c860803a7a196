import { Admin, Kafka } from 'kafkajs';
import { AnyEventContract } from '../common/any-event-contract';
import { TopicNames } from '../common/topic-names';
import { backoffDelay, sleep } from '../common/backoff';

/** Options of `TopicAdmin.ensureTopics`. */
export interface EnsureTopicsOptions {
  /** Partitions for every topic instead of each contract's own count. */
  partitions?: number;
  /** Also create `<topic>.dlq` (default true). */
  includeDlq?: boolean;
  /** Replication factor (default -1: the broker's default). */
  replicationFactor?: number;
}

/** Creates the Kafka topics the service needs at start-up; creates only the missing ones. */
export class TopicAdmin {
  private readonly admin: Admin;
  private connected = false;

  constructor(kafka: Kafka, private readonly topics: TopicNames = new TopicNames()) {
    this.admin = kafka.admin();
  }

  /** Ensures the physical topics (and DLQs) of `contracts` exist; returns the names it created. */
  async ensureTopics(contracts: readonly AnyEventContract[], options: EnsureTopicsOptions = {}): Promise<string[]> {
    await this.connect();
    const wanted = new Map<string, number>();
    for (const contract of contracts) {
      const partitions = options.partitions ?? contract.partitions;
      wanted.set(this.topics.physical(contract.topic), partitions);
      if (options.includeDlq ?? true) wanted.set(this.topics.deadLetter(contract.topic), partitions);
    }
    // A broker busy with topics that other services are creating at the same moment answers some
    // metadata requests with retriable errors (unknown topic-partition, leader not available):
    // retry the whole check-and-create, which is idempotent, a bounded number of times.
    const created = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      try {
        for (const name of await this.createMissing(wanted, options)) created.add(name);
        return [...created];
      } catch (error) {
        if ((error as { retriable?: unknown }).retriable !== true || attempt >= 8) throw error;
        await sleep(backoffDelay(attempt, 200, 3000));
      }
    }
  }

  private async createMissing(wanted: Map<string, number>, options: EnsureTopicsOptions): Promise<string[]> {
    const existing = new Set(await this.admin.listTopics());
    const missing = [...wanted].filter(([name]) => !existing.has(name));
    if (missing.length === 0) return [];
    try {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: missing.map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: options.replicationFactor ?? -1 })),
      });
    } catch (error) {
      // Another replica starting at the same time may have created them first; only a topic still missing is a failure.
      const now = new Set(await this.admin.listTopics());
      if (missing.some(([name]) => !now.has(name))) throw error;
    }
    return missing.map(([name]) => name);
  }

  /** The cluster's brokers and controller (the health check). */
  async describeCluster(): Promise<{ brokers: number; controller: number | null; clusterId: string }> {
    await this.connect();
    const cluster = await this.admin.describeCluster();
    return { brokers: cluster.brokers.length, controller: cluster.controller, clusterId: cluster.clusterId };
  }

  /**
   * Waits until every partition of the contracts' topics has a leader (bounded by `timeoutMs`): on
   * a busy broker a consumer that subscribes to a topic created a moment earlier can be told "This
   * server does not host this topic-partition", and a service's start fails.
   */
  async waitForLeaders(contracts: readonly AnyEventContract[], timeoutMs = 30_000): Promise<void> {
    await this.connect();
    const names = contracts.map((c) => this.topics.physical(c.topic));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = await this.admin
        .fetchTopicMetadata({ topics: names })
        .then((meta) => meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
        .catch(() => false);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`topics ${names.join(', ')} have no leaders after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Disconnects the admin client. */
  async close(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.admin.disconnect();
  }

  private async connect(): Promise<void> {
    if (this.connected) return;
    await this.admin.connect();
    this.connected = true;
  }
}
