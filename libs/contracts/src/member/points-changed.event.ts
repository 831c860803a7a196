import { IsIn, IsInt } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsId, IsNonNegativeInt, IsText } from '../core/validators';

/** Why points moved. */
export const POINTS_CHANGE_KINDS = ['earn', 'spend', 'reverse-earn', 'refund-spend', 'expire', 'merge-in', 'merge-out'] as const;

/** A member's points balance moved by one ledger entry. */
export class PointsChangedEvent extends EventPayloadBase {
  /** The member. */
  @IsId()
  memberId: string;

  /** Why the points moved. */
  @IsIn(POINTS_CHANGE_KINDS, { message: `$property must be one of ${POINTS_CHANGE_KINDS.join(', ')}` })
  kind: string;

  /** Points added (positive) or taken (negative). */
  @IsInt({ message: '$property must be an integer' })
  delta: number;

  /** The balance after the change (equal to the ledger sum). */
  @IsNonNegativeInt()
  balance: number;

  /** What caused it: an order id, a batch, a merge. */
  @IsText(128)
  ref: string;
}

/** points-changed: keyed by member id, so one member's changes stay in order. */
export const POINTS_CHANGED = defineEvent<PointsChangedEvent>({
  topic: 'points-changed',
  type: 'com.omniretail.member.points-changed.v1',
  version: 1,
  source: 'member',
  payload: PointsChangedEvent,
  key: (payload) => payload.memberId,
  partitions: 6,
  summary: "A member's points balance moved (earn, spend, reversal, expiry, merge).",
});
