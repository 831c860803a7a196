import { IsIn } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsUtcTimestamp } from '../core/validators';

/** Kinds of channel account a member may register or link with; `phone` is a phone verified by a one-time sign-in code. */
export const MEMBER_ACCOUNT_KINDS = ['app', 'marketplace', 'social', 'store-phone', 'phone'] as const;

/** A member registered. Carries the member id only: phone and name stay in the member service. */
export class MemberRegisteredEvent extends EventPayloadBase {
  /** The new member's id. */
  @IsId()
  memberId: string;

  /** Channel the member registered in. */
  @IsChannelCode()
  channel: string;

  /** Kind of the account the member registered with. */
  @IsIn(MEMBER_ACCOUNT_KINDS, { message: `$property must be one of ${MEMBER_ACCOUNT_KINDS.join(', ')}` })
  accountKind: string;

  /** When the member registered. */
  @IsUtcTimestamp()
  registeredAt: string;
}

/** member-registered: keyed by member id. */
export const MEMBER_REGISTERED = defineEvent<MemberRegisteredEvent>({
  topic: 'member-registered',
  type: 'com.omniretail.member.member-registered.v1',
  version: 1,
  source: 'member',
  payload: MemberRegisteredEvent,
  key: (payload) => payload.memberId,
  partitions: 6,
  summary: 'A member registered (ids only; personal data never leaves the member service).',
});
