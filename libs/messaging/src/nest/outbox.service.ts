import { Inject, Injectable } from '@nestjs/common';
import { EventContract } from '@omni/contracts';
import { EntityManager } from 'typeorm';
import { UndeclaredContractError } from '../common/errors';
import { OutboxAddOptions, OutboxWriter } from '../outbox/outbox-writer';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';

/** Publishes events transactionally: the row commits with the caller's state change, the relay sends it. */
@Injectable()
export class Outbox {
  private readonly declared: Set<string>;

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
    return this.writer.add(manager, contract, payload, opts);
  }

  /** `OutboxWriter.gathering` over `manager`'s transaction: the events added meanwhile are written in one insert at its end. */
  gathering<R>(manager: EntityManager, work: () => Promise<R>): Promise<R> {
    return this.writer.gathering(manager, work);
  }
}
