import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

/** Postgres channel notified (on commit) whenever an order's reservation is decided. */
export const ORDER_DECIDED_CHANNEL = 'order_decided';

/** SQL that notifies waiters of `$1` (an order id) when the surrounding transaction commits. */
export const NOTIFY_DECIDED_SQL = `SELECT pg_notify('${ORDER_DECIDED_CHANNEL}', $1)`;

/**
 * Lets POST /orders wait for the decision: one LISTEN connection per replica; the reply handler
 * (on whichever replica consumed the reply) NOTIFYs inside its transaction, so a waiter wakes only
 * after the decision is committed and readable.
 */
@Injectable()
export class DecisionWaiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DecisionWaiter.name);
  private readonly waiting = new Map<string, Set<() => void>>();
  private client?: Client;
  private closing = false;

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.client?.end().catch(() => undefined);
  }

  /** Resolves when `orderId` is notified, or after `ms` (the caller re-reads the order either way). */
  wait(orderId: string, ms: number): { done: Promise<void>; cancel: () => void } {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = () => {
        clearTimeout(timer);
        const set = this.waiting.get(orderId);
        set?.delete(finish);
        if (set && set.size === 0) this.waiting.delete(orderId);
        resolve();
      };
    });
    const set = this.waiting.get(orderId) ?? new Set();
    set.add(finish);
    this.waiting.set(orderId, set);
    const timer = setTimeout(finish, ms);
    return { done, cancel: finish };
  }

  private async connect(): Promise<void> {
    const db = this.dataSource.options as PostgresConnectionOptions;
    const config: ClientConfig = { connectionString: db.url, host: db.host, port: db.port, user: db.username, database: db.database, application_name: 'order-decisions' };
    const client = new Client(config);
    client.on('notification', (msg) => {
      if (msg.payload) for (const wake of [...(this.waiting.get(msg.payload) ?? [])]) wake();
    });
    client.on('error', (error) => {
      this.logger.warn({ msg: 'decision listener lost its connection; reconnecting', error: error.message });
      this.reconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${ORDER_DECIDED_CHANNEL}`);
    this.client = client;
  }

  private reconnect(): void {
    if (this.closing) return;
    this.client?.end().catch(() => undefined);
    // Waiters still time out and re-read meanwhile; a lost notification costs latency, not correctness.
    setTimeout(() => void this.connect().catch(() => this.reconnect()), 1000).unref();
  }
}
