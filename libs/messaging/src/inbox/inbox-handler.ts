import { inPgTransaction } from '@omni/sql';
import { Pool, PoolClient } from 'pg';
import { SqlExecutor } from '../common/sql-executor';
import { BatchEvent, EventBatchHandlerFn, EventContext, EventHandlerFn } from '../consumer/event-context';
import { InboxStore } from './inbox-store';

/** Runs `work` in one database transaction, committing if it resolves and rolling back if it throws. */
export type TransactionRunner<Tx extends SqlExecutor> = <R>(work: (tx: Tx) => Promise<R>) => Promise<R>;

/** The context of an inbox handler: the event context plus the transaction its effect must use. */
export type InboxEventContext<Tx extends SqlExecutor> = EventContext & { tx: Tx };

/**
 * Wraps a handler so its effect and the inbox claim commit in ONE transaction: a redelivered event
 * (same id, same group) finds its inbox row and has no second effect.
 */
export function inboxHandler<T extends object, Tx extends SqlExecutor>(
  options: { runInTransaction: TransactionRunner<Tx>; consumerGroup: string; inbox?: InboxStore },
  handler: (payload: T, ctx: InboxEventContext<Tx>) => Promise<void>,
): EventHandlerFn<T> {
  const inbox = options.inbox ?? new InboxStore();
  return (payload, ctx) =>
    options.runInTransaction(async (tx) => {
      if (!(await inbox.claim(tx, options.consumerGroup, ctx.id, ctx.topic))) return 'duplicate' as const;
      await handler(payload, { ...ctx, tx });
    });
}

/**
 * The batch form of `inboxHandler`: one transaction claims every event of the batch in one
 * statement and runs `handler` with the events claimed now (first delivery of each id, in order);
 * the effects and the claims commit together or not at all.
 */
export function inboxBatchHandler<T extends object, Tx extends SqlExecutor>(
  options: { runInTransaction: TransactionRunner<Tx>; consumerGroup: string; inbox?: InboxStore },
  handler: (events: Array<BatchEvent<T>>, tx: Tx) => Promise<void>,
): EventBatchHandlerFn<T> {
  const inbox = options.inbox ?? new InboxStore();
  return (events) =>
    options.runInTransaction(async (tx) => {
      const claimed = await inbox.claimMany(tx, options.consumerGroup, events.map((e) => ({ id: e.ctx.id, topic: e.ctx.topic })));
      // `delete` is true once per id: a repeat inside the batch is a duplicate like any other.
      const fresh = events.filter((e) => claimed.delete(e.ctx.id));
      if (fresh.length > 0) await handler(fresh, tx);
      return { applied: fresh.length, duplicates: events.length - fresh.length };
    });
}

/** A TransactionRunner over a pg Pool, for services and tests that do not use TypeORM. */
export function pgTransactionRunner(pool: Pool): TransactionRunner<PoolClient> {
  return (work) => inPgTransaction(pool, work);
}
