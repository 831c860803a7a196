import type { EventContract } from '@omni/contracts';
import type { SqlExecutor } from '../barrier/sql-executor';
import type { TccCommand } from './coordinator.types';

/**
 * A participant as data: its name, the contract its commands travel on and how a command becomes
 * that contract's payload. Pricing and member join a saga by adding an entry, not by changing the
 * coordinator.
 */
export interface TccParticipantDefinition<T extends object = object> {
  name: string;
  contract: EventContract<T>;
  toPayload(command: TccCommand): T;
}

/** Types a participant definition against its contract and widens it for the registry. */
export function defineParticipant<T extends object>(definition: TccParticipantDefinition<T>): TccParticipantDefinition {
  return definition as unknown as TccParticipantDefinition;
}

/** Writes a command into the caller's transaction (the messaging OutboxWriter / Outbox fit). */
export interface TccCommandWriter {
  add<T extends object>(tx: SqlExecutor, contract: EventContract<T>, payload: T): Promise<unknown>;
  /** Writes several commands (of any contracts) in one statement, in order; without it, `add` each. */
  addAll?(tx: SqlExecutor, events: ReadonlyArray<{ contract: EventContract<object>; payload: object }>): Promise<unknown>;
}

/** Thrown when a branch names a participant nobody registered. */
export class UnknownParticipantError extends Error {
  override readonly name = 'UnknownParticipantError';
  readonly code = 'TCC_UNKNOWN_PARTICIPANT';
}

/** Participant name → command contract; sends commands through the outbox of the caller's transaction. */
export class ParticipantRegistry {
  private readonly byName = new Map<string, TccParticipantDefinition>();

  constructor(
    private readonly writer: TccCommandWriter,
    participants: readonly TccParticipantDefinition[] = [],
  ) {
    for (const p of participants) this.register(p);
  }

  /** Adds a participant; names are unique. */
  register<T extends object>(participant: TccParticipantDefinition<T>): this {
    if (this.byName.has(participant.name)) throw new Error(`participant '${participant.name}' is registered twice`);
    this.byName.set(participant.name, participant as unknown as TccParticipantDefinition);
    return this;
  }

  /** True when `name` is registered. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Registered participant names. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Queues `command` in `tx`'s outbox on its participant's contract. */
  async send(tx: SqlExecutor, command: TccCommand): Promise<void> {
    await this.sendAll(tx, [command]);
  }

  /** Queues `commands` in `tx`'s outbox, each on its participant's contract: one write when the writer can. */
  async sendAll(tx: SqlExecutor, commands: readonly TccCommand[]): Promise<void> {
    const events = commands.map((command) => {
      const participant = this.byName.get(command.participant);
      if (!participant) throw new UnknownParticipantError(`no participant named '${command.participant}'`);
      return { contract: participant.contract, payload: participant.toPayload(command) };
    });
    if (events.length === 0) return;
    if (this.writer.addAll && events.length > 1) await this.writer.addAll(tx, events);
    else for (const e of events) await this.writer.add(tx, e.contract, e.payload);
  }
}
