import type { TccStatusAnswer } from '../coordinator/coordinator.types';
import type { CoordinatorStatusQuery } from './held-branch.resolver';

/** Path of the coordinator's status query on its internal HTTP API. */
export const TCC_STATUS_QUERY_PATH = '/tcc/transactions/resolve';

/** Settings of the HTTP status query. */
export interface HttpCoordinatorStatusOptions {
  /** The coordinating service's internal base URL, e.g. http://order:3003. */
  baseUrl: string;
  /** Bound of one query, ms (default 3000). */
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
  private readonly url: string;

  constructor(private readonly options: HttpCoordinatorStatusOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}${TCC_STATUS_QUERY_PATH}`;
  }

  async statusOf(gids: readonly string[]): Promise<TccStatusAnswer[]> {
    if (gids.length === 0) return [];
    const res = await fetch(this.url, {
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
