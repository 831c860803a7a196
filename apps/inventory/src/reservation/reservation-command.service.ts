import { InventoryBranchRequestedEvent, TCC_BRANCH_REPLIED, TccBranchRepliedEvent } from '@omni/contracts';
import { PermanentEventError } from '@omni/messaging';
import { Clock, SystemClock } from '@omni/tcc';
import { AtpReconciler } from '../redis-gate/atp.reconciler';
import { type SqlExecutor } from '@omni/sql';
import { BranchReply, TryCommand } from './domain/reservation.types';
import { EventWriter } from './persistence/event-writer.port';
import { ReservationService, type RunCommand } from './reservation.service';

/**
 * Applies a saga command inside the consumer's transaction (inbox row + barrier + business +
 * ledger + outbox) and writes the reply to the outbox in that same transaction, so a crash can
 * neither lose the reply nor apply the command twice.
 */
export class ReservationCommandService {
  constructor(
    private readonly reservations: ReservationService,
    private readonly events: EventWriter,
    private readonly reconciler: AtpReconciler | null,
    private readonly clock: Clock = new SystemClock(),
  ) {}

  /**
   * Runs the requested phase in `tx` and queues the reply; returns the reply. The events of the
   * phase (stock-changed, stock-deducted or -released) and the reply go out in one outbox insert.
   */
  handle(tx: SqlExecutor, cmd: InventoryBranchRequestedEvent): Promise<TccBranchRepliedEvent> {
    return this.events.gathering(tx, () => this.handleIn(tx, cmd));
  }

  private async handleIn(tx: SqlExecutor, cmd: InventoryBranchRequestedEvent): Promise<TccBranchRepliedEvent> {
    checkReplyTo(cmd);
    const branch = { gid: cmd.gid, branchId: cmd.branchId };
    let result: { reply: BranchReply; skus: string[] };
    if (cmd.op === 'try') {
      const done = await this.reservations.tryIn(tx, [tryOf(cmd)]);
      result = { reply: done.replies[0], skus: done.skus };
    } else if (cmd.op === 'confirm') {
      result = await this.reservations.confirmIn(tx, branch);
    } else {
      result = await this.reservations.cancelIn(tx, branch);
    }
    const reply = this.replyOf(cmd, result.reply);
    await this.events.add(tx, TCC_BRANCH_REPLIED, reply);
    // A Confirm ships held units and leaves every channel's ATP as the gate holds it; only its
    // version moves, which the periodic pass catches up.
    if (cmd.op !== 'confirm') this.reconciler?.rebuildSoon(result.skus);
    return reply;
  }

  /**
   * A run of Try and Confirm commands in `tx`, with the effect of `handle` on each in order, in a few
   * statements (see ReservationService.runIn); the replies are queued in one statement with the
   * run's events. Returns them. Throws RunNeedsOneByOne when a command needs `handle` alone.
   */
  handleRun(tx: SqlExecutor, cmds: readonly InventoryBranchRequestedEvent[]): Promise<TccBranchRepliedEvent[]> {
    return this.events.gathering(tx, () => this.handleRunIn(tx, cmds));
  }

  private async handleRunIn(tx: SqlExecutor, cmds: readonly InventoryBranchRequestedEvent[]): Promise<TccBranchRepliedEvent[]> {
    const run: RunCommand[] = cmds.map((cmd) => {
      checkReplyTo(cmd);
      if (cmd.op === 'try') return { op: 'try', cmd: tryOf(cmd) };
      if (cmd.op === 'confirm') return { op: 'confirm', cmd: { gid: cmd.gid, branchId: cmd.branchId } };
      throw new Error(`handleRun got a ${cmd.op} command`);
    });
    const done = await this.reservations.runIn(tx, run);
    const replies = cmds.map((cmd, i) => this.replyOf(cmd, done.replies[i]));
    await this.events.addMany(tx, TCC_BRANCH_REPLIED, replies.map((payload) => ({ payload })));
    this.reconciler?.rebuildSoon(done.skus);
    return replies;
  }

  /**
   * The replies to the Trys among `cmds` that need no transaction (see ReservationService.refuseEarly),
   * in order, and null for every other command. Such a refusal changes nothing and a Try asked again
   * is decided again, so its reply may go out without an inbox or outbox row.
   */
  async screen(cmds: readonly InventoryBranchRequestedEvent[]): Promise<Array<TccBranchRepliedEvent | null>> {
    const tries = cmds.flatMap((cmd, i) => (cmd.op === 'try' && repliesOnBranchTopic(cmd) ? [{ i, cmd }] : []));
    const refusals = await this.reservations.refuseEarly(tries.map(({ cmd }) => tryOf(cmd)));
    const replies: Array<TccBranchRepliedEvent | null> = cmds.map(() => null);
    tries.forEach(({ i, cmd }, n) => {
      const refusal = refusals[n];
      if (refusal) replies[i] = this.replyOf(cmd, refusal);
    });
    return replies;
  }

  private replyOf(cmd: InventoryBranchRequestedEvent, reply: BranchReply): TccBranchRepliedEvent {
    return {
      schemaVersion: 1,
      occurredAt: this.clock.now().toISOString(),
      gid: cmd.gid,
      branchId: cmd.branchId,
      participant: 'inventory',
      op: cmd.op,
      outcome: reply.outcome,
      reasons: reply.reasons.map((r) => ({ line: r.line, code: r.code, message: r.message })),
    };
  }
}

function tryOf(cmd: InventoryBranchRequestedEvent): TryCommand {
  return { gid: cmd.gid, branchId: cmd.branchId, deadline: cmd.deadline, channel: cmd.channel, lines: cmd.lines ?? [] };
}

function repliesOnBranchTopic(cmd: InventoryBranchRequestedEvent): boolean {
  return cmd.replyTo === undefined || cmd.replyTo === TCC_BRANCH_REPLIED.topic;
}

function checkReplyTo(cmd: InventoryBranchRequestedEvent): void {
  if (!repliesOnBranchTopic(cmd)) {
    throw new PermanentEventError(`replyTo '${cmd.replyTo}' is not supported; inventory replies on ${TCC_BRANCH_REPLIED.topic}`, 'REPLY_TOPIC_UNSUPPORTED');
  }
}
