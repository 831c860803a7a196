import { ModuleMetadata } from '@nestjs/common';
import { ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { AnyEventContract } from '../common/any-event-contract';
import type { KafkaSecurity } from '../common/kafka-client';
import { MessagingMetrics } from '../common/observability';
import { RetentionTable } from '../retention/retention-sweeper';

/** What a service tells the messaging module. */
export interface MessagingModuleOptions {
  /** Service name (logs; the default consumer group). */
  service: string;
  /** Kafka client id. */
  clientId: string;
  brokers: string[];
  /** SASL and TLS of the module's one client (relay, consumers, dead letters, admin); omitted: plaintext. */
  security?: KafkaSecurity;
  /** Prepended to every topic (env KAFKA_TOPIC_PREFIX; '' in production). */
  topicPrefix: string;
  /** Consumer group of the service's handlers (default: `service`). */
  consumerGroup?: string;
  /** Contracts this service publishes through the Outbox (their topics are created at start-up). */
  publishes: readonly AnyEventContract[];
  /** Contracts this service consumes (handlers' contracts are added automatically). */
  consumes?: readonly AnyEventContract[];
  relay?: {
    /** Run the outbox relay in this process (default true when the service publishes). */
    enabled?: boolean;
    /** Fallback poll interval in ms (default 1000). */
    pollIntervalMs?: number;
    /** Connection for the relay's own session (default: derived from dataSource.options). */
    connection?: string | ClientConfig;
  };
  /** The service's TypeORM data source (Postgres). */
  dataSource: DataSource;
  /** Metrics sink (default: prom-client counters on the default registry). */
  metrics?: MessagingMetrics;
  /** Consumer settings shared by every handler. */
  consumer?: { maxAttempts?: number; backoff?: { initialMs: number; maxMs: number }; maxWaitTimeInMs?: number; partitionsConsumedConcurrently?: number };
  /**
   * Consumer groups (logical names, as handlers give them) that may see their events up to two
   * seconds late and take them in long runs instead (GATHERED_FETCH_MIN_BYTES): read models and
   * feeds, never a saga's participant or coordinator.
   */
  gatheredGroups?: readonly string[];
  /**
   * Deletes old dedupe records: the inbox, plus `tables` (e.g. TCC barrier rows). Omitted or an
   * `intervalMs` of 0: rows are kept forever.
   */
  retention?: { keepMs: number; intervalMs: number; tables?: readonly RetentionTable[] };
  /** Upper bound for each shutdown step in ms (default 10000) when no shutdown budget is running. */
  shutdownTimeoutMs?: number;
  /**
   * What is left of the process's one shutdown budget for messaging, in ms (undefined until
   * shutdown began): consumers and the outbox flush share it instead of each taking shutdownTimeoutMs.
   */
  shutdownRemainingMs?: () => number | undefined;
  /** Skip topic creation at start-up (topics managed elsewhere). */
  skipTopicCreation?: boolean;
}

/** `MessagingModule.forRootAsync` arguments. */
export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors Nest's own factory providers
  inject?: any[];
  useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

/** Injection token of the resolved MessagingModuleOptions. */
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
