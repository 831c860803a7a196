import type { EventContract } from '@omni/contracts';
import type { Outbox } from '@omni/messaging';
import type { Clock } from '@omni/tcc';
import type { EntityManager } from 'typeorm';

/**
 * Queues member events in the caller's transaction (the outbox), stamping the schema version and
 * the time. Payloads carry ids and facts only: never a phone number or a name.
 */
export class MemberEvents {
  constructor(
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /** Queues one event of `contract` with `fields` in `tx`. */
  async add<T extends object>(tx: EntityManager, contract: EventContract<T>, fields: Omit<T, 'schemaVersion' | 'occurredAt'>): Promise<void> {
    const payload = { schemaVersion: contract.version, occurredAt: this.clock.now().toISOString(), ...fields } as unknown as T;
    await this.outbox.add(tx, contract, payload);
  }
}
