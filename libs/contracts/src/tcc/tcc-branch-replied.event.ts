import { Type } from 'class-transformer';
import { IsArray, IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId } from '../core/validators';
import { TCC_OPS, TCC_OUTCOMES, TccBranchReason, TccOpName, TccOutcome } from './tcc-branch.value';

/** A participant's answer to one phase of a branch. */
export class TccBranchRepliedEvent extends EventPayloadBase {
  /** Global transaction id. */
  @IsId()
  gid: string;

  /** Branch id within the global transaction. */
  @IsId()
  branchId: string;

  /** Participant that answers, e.g. 'inventory'. */
  @IsChannelCode({ message: '$property must be a participant name (1-32 characters of a-z 0-9 -)' })
  participant: string;

  /** Phase answered. */
  @IsIn(TCC_OPS, { message: `$property must be one of ${TCC_OPS.join(', ')}` })
  op: TccOpName;

  /** success: the phase holds; failure: business refusal (final); retry: transient, ask again later. */
  @IsIn(TCC_OUTCOMES, { message: `$property must be one of ${TCC_OUTCOMES.join(', ')}` })
  outcome: TccOutcome;

  /** Per-line (or branch-level, line -1) reasons of a failure; empty on success. */
  @IsArray({ message: '$property must be an array' })
  @ValidateNested({ each: true })
  @Type(() => TccBranchReason)
  reasons: TccBranchReason[];

  /**
   * What a successful Try holds, when the participant says (pricing: the locked quote's total and
   * currency; member: the coupons, points and gift-card amount it froze). The coordinator keeps it
   * on the branch row; the order charges from it, never from its own request.
   */
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  detail?: Record<string, unknown>;
}

/** tcc-branch-replied: keyed by gid so the coordinator sees one saga's replies in order. */
export const TCC_BRANCH_REPLIED = defineEvent<TccBranchRepliedEvent>({
  topic: 'tcc-branch-replied',
  type: 'com.omniretail.inventory.tcc-branch-replied.v1',
  version: 1,
  source: 'inventory',
  payload: TccBranchRepliedEvent,
  key: (payload) => payload.gid,
  partitions: 6,
  summary: 'A TCC participant (inventory, pricing, member) answers one phase of a branch: success (with what its Try holds), failure with per-line reasons, or retry.',
});
