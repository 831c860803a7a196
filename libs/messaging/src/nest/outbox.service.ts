import { Inject, Injectable } from '@nestjs/common';
import { EventContract } from '@omni/contracts';
import { EntityManager } from 'typeorm';
import { UndeclaredContractError } from '../common/errors';
import { OutboxAddOptions, OutboxEvent, OutboxWriter } from '../outbox/outbox-writer';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';

/** Publishes events transactionally: the row commits with the caller's state change, the relay sends it. */
@Injectable()
export class Outbox {
  private readonly declared: Set<string>;
  /** Rows held back per transaction (its query runner, which every manager of it shares) by `gathering`. */
  private readonly gathered = new WeakMap<object, OutboxEvent[]>();

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
    private readonly writer: OutboxWriter,
  ) {
    this.declared = new Set(options.publishes.map((c) => c.type));
  }

  /** Validates and queues `payload` in `manager`'s transaction; returns the event id (UUIDv7). */
  async add<T extends object>(manager: EntityManager, contract: EventContract<T>, payload: T, opts?: OutboxAddOptions): Promise<string> {
    // An undeclared contract's topic was never created; fail at the call, not in the relay.
    if (!this.declared.has(contract.type)) throw new UndeclaredContractError(contract.type);
    const held = this.gathered.get(transactionOf(manager));
    if (!held) return this.writer.add(manager, contract, payload, opts);
    // Validated now, as `add` always is: a bad payload throws at the call, not when the rows are written.
    const event = this.writer.event(contract, payload, opts);
    held.push(event);
    return event.id;
  }

  /**
   * Runs `work`, holding back the outbox rows `add` queues in `manager`'s transaction meanwhile, and
   * then writes them all in one statement, in the order they were added, still inside that
   * transaction: a run of events whose handlers each publish several events costs one insert instead
   * of one per event. If `work` throws, nothing is written (the caller's transaction rolls back).
   * Inside another `gathering` of the same transaction it just runs `work`.
   */
  async gathering<R>(manager: EntityManager, work: () => Promise<R>): Promise<R> {
    const transaction = transactionOf(manager);
    if (this.gathered.has(transaction)) return work();
    const held: OutboxEvent[] = [];
    this.gathered.set(transaction, held);
    try {
      const result = await work();
      await this.writer.insert(manager, held);
      return result;
    } finally {
      this.gathered.delete(transaction);
    }
  }
}

/** What identifies `manager`'s transaction: its query runner (a manager made from it shares it), else the manager. */
function transactionOf(manager: EntityManager): object {
  return manager.queryRunner ?? manager;
}
