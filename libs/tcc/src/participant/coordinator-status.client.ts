import type { TccStatusAnswer } from '../coordinator/coordinator.types';
import type { CoordinatorStatusQuery } from './held-branch.resolver';

/** Path of the coordinator's status query on its internal HTTP API. */
export const TCC_STATUS_QUERY_PATH = '/tcc/transactions/resolve';

/** Settings of the HTTP status query. */
export interface HttpCoordinatorStatusOptions {
  /** The coordinating service's internal base URLs, e.g. [http://order:3003]; tried in turn until one answers. */
  baseUrls: readonly string[];
  /** Bound of one query to one address, ms (default 3000). */
  timeoutMs?: number;
  /** Headers every query carries (e.g. a service credential). */
  headers?: () => Record<string, string>;
}

/**
 * Asks the coordinator over its internal HTTP API (`POST /tcc/transactions/resolve` with
 * `{ gids }`). HTTP rather than Kafka on purpose: the question matters most while the broker is
 * down or backlogged, and then a Kafka question would wait in the same queue as the Confirm.
 */
export class HttpCoordinatorStatusQuery implements CoordinatorStatusQuery {
  private readonly urls: string[];

  constructor(private readonly options: HttpCoordinatorStatusOptions) {
    if (options.baseUrls.length === 0) throw new TypeError('the coordinator status query needs at least one address');
    this.urls = options.baseUrls.map((base) => `${base.replace(/\/+$/, '')}${TCC_STATUS_QUERY_PATH}`);
  }

  /** Asks each address in turn; throws the last failure when none answers. */
  async statusOf(gids: readonly string[]): Promise<TccStatusAnswer[]> {
    if (gids.length === 0) return [];
    let failure: unknown;
    for (const url of this.urls) {
      try {
        return await this.ask(url, gids);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  private async ask(url: string, gids: readonly string[]): Promise<TccStatusAnswer[]> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.options.headers?.() ?? {}) },
      body: JSON.stringify({ gids }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000),
    });
    if (!res.ok) throw new Error(`coordinator status query answered ${res.status}`);
    const body = (await res.json()) as { transactions?: unknown };
    if (!Array.isArray(body.transactions)) throw new Error('coordinator status query answered without transactions');
    return body.transactions.filter(isAnswer);
  }
}

function isAnswer(value: unknown): value is TccStatusAnswer {
  const v = value as Partial<TccStatusAnswer> | null;
  return typeof v?.gid === 'string' && typeof v.status === 'string';
}
