import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsId, IsNonNegativeInt } from '../core/validators';

/** Two members turned out to be one person: the absorbed one's points, coupons, gift cards, orders and accounts now belong to the survivor. */
export class MembersMergedEvent extends EventPayloadBase {
  /** The member that remains. */
  @IsId()
  survivorId: string;

  /** The member merged into it; its id now resolves to the survivor. */
  @IsId()
  absorbedId: string;

  /** Points moved to the survivor. */
  @IsNonNegativeInt()
  pointsMoved: number;

  /** Coupons moved to the survivor's wallet. */
  @IsNonNegativeInt()
  couponsMoved: number;

  /** Gift cards moved to the survivor. */
  @IsNonNegativeInt()
  giftCardsMoved: number;

  /** Order references moved to the survivor. */
  @IsNonNegativeInt()
  ordersMoved: number;

  /** Channel accounts now linked to the survivor. */
  @IsNonNegativeInt()
  accountsMoved: number;
}

/** members-merged: keyed by the survivor's id. */
export const MEMBERS_MERGED = defineEvent<MembersMergedEvent>({
  topic: 'members-merged',
  type: 'com.omniretail.member.members-merged.v1',
  version: 1,
  source: 'member',
  payload: MembersMergedEvent,
  key: (payload) => payload.survivorId,
  partitions: 6,
  summary: 'Two members were found to be one person and merged; nothing the absorbed member held is lost.',
});
