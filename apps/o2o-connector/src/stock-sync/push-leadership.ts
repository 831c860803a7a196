import { Client, type Notification } from 'pg';

/** Advisory lock key of the pushing replica (any constant unique in this database). */
const LEADER_LOCK_KEY = 0x0_2_0_c0;
/** The channel each recorded wanted value is announced on, at its transaction's commit. */
export const WANTED_STOCK_CHANNEL = 'o2o_wanted_stock';

/** What leadership drives: a resync when it is won, and each announced value while it is held. */
export interface LeadershipDuties {
  /** Called once each time this replica becomes the one that pushes. */
  won(): Promise<void>;
  /** Called with each announced wanted value: the notification channel and its JSON payload. */
  announced(channel: string, payload: string): void;
  /** Leadership was lost (the session ended); the engines must stop pushing. */
  lost(): void;
}

/**
 * One replica pushes to the platforms, whatever the number of replicas: the platform's rate limit
 * is one budget, and two pushers could resync an older value over a newer one. Every replica
 * records wanted values; the holder of a session advisory lock listens for them (announced at
 * commit) and pushes. A standby tries for the lock every `retryMs` and, once it wins, resyncs from
 * the table, so nothing announced while no one listened is lost.
 */
export class PushLeadership {
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** True while this replica holds the lock. */
  leading = false;

  /** `connectionString` of the service's own database. */
  constructor(
    private readonly connectionString: string,
    private readonly duties: LeadershipDuties,
    private readonly onError: (error: Error) => void,
    private readonly retryMs = 1_000,
    private readonly channels: readonly string[] = [WANTED_STOCK_CHANNEL],
  ) {}

  /** Tries for leadership now, and keeps trying while it is not held. */
  async start(): Promise<void> {
    await this.attempt();
  }

  /** Gives leadership up (the lock ends with the session). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.client?.end().catch(() => undefined);
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.connectionString, application_name: 'o2o-push-leader' });
    try {
      client.on('error', (error) => this.drop(client, error));
      await client.connect();
      const [row] = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LEADER_LOCK_KEY])).rows;
      if (!row.locked) {
        await client.end();
        return this.retry();
      }
      this.client = client;
      client.on('notification', (message: Notification) => {
        if (this.channels.includes(message.channel) && message.payload) this.duties.announced(message.channel, message.payload);
      });
      client.on('end', () => this.drop(client, new Error('leader session ended')));
      // Listen first, then resync: a value committed in between arrives twice, and the coalescer drops the copy.
      for (const channel of this.channels) await client.query(`LISTEN ${channel}`);
      this.leading = true;
      await this.duties.won();
    } catch (error) {
      this.drop(client, error as Error);
    }
  }

  private drop(client: Client, error: Error): void {
    if (this.client === client) {
      this.client = undefined;
      if (this.leading) {
        this.leading = false;
        this.duties.lost();
      }
    }
    if (!this.stopped) this.onError(error);
    void client.end().catch(() => undefined);
    this.retry();
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.attempt();
    }, this.retryMs);
  }
}
