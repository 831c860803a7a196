import { ArrayMaxSize, IsArray, IsIn, IsOptional, Matches, ValidateIf } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsNonNegativeInt, IsUtcTimestamp } from '../core/validators';
import { TCC_OPS, TccOpName } from './tcc-branch.value';

/**
 * The saga coordinator asks member to run one phase of its branch: Try freezes the named coupons,
 * points and gift-card amount of the member, Confirm consumes them, Cancel unfreezes them. Every
 * phase names what it settles, so a Confirm or Cancel is understood on its own.
 */
export class MemberBranchRequestedEvent extends EventPayloadBase {
  /** Global transaction id (the order id for order sagas). */
  @IsId()
  gid: string;

  /** Member branch id within the global transaction. */
  @IsId()
  branchId: string;

  /** 'try' | 'confirm' | 'cancel'. */
  @IsIn(TCC_OPS, { message: `$property must be one of ${TCC_OPS.join(', ')}` })
  op: TccOpName;

  /** The order's payment deadline: what is frozen stays frozen until then; a later Try is refused. */
  @IsUtcTimestamp()
  deadline: string;

  /** Channel the order came from; a coupon must be valid in it. */
  @IsChannelCode()
  channel: string;

  /** The buyer. */
  @IsId()
  memberId: string;

  /** Coupons of the member's wallet the order uses (each usable once); may be empty. */
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(5, { message: '$property must contain at most 5 coupons' })
  @IsId({ each: true })
  couponIds: string[];

  /** Points the order spends; 0 for none. */
  @IsNonNegativeInt()
  points: number;

  /** The member's gift card the order spends from; required when giftCardAmount is above 0. */
  @ValidateIf((o: MemberBranchRequestedEvent) => o.giftCardAmount > 0 || o.giftCardId !== undefined)
  @IsId()
  giftCardId?: string;

  /** Minor units the order spends from the gift card; 0 for none. */
  @IsNonNegativeInt()
  giftCardAmount: number;

  /** Logical topic to reply on (default 'tcc-branch-replied'). */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]*$/, { message: '$property must be a kebab-case topic name' })
  replyTo?: string;
}

/** member-branch-requested: keyed by gid so one saga's phases stay in order. */
export const MEMBER_BRANCH_REQUESTED = defineEvent<MemberBranchRequestedEvent>({
  topic: 'member-branch-requested',
  type: 'com.omniretail.order.member-branch-requested.v1',
  version: 1,
  source: 'order',
  payload: MemberBranchRequestedEvent,
  key: (payload) => payload.gid,
  partitions: 6,
  summary: 'The order saga asks member to Try (freeze coupons, points and a gift-card amount), Confirm (consume) or Cancel (unfreeze) its branch.',
});
