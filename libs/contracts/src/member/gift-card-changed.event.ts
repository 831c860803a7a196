import { IsIn, IsInt, Matches } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsId, IsNonNegativeInt, IsText } from '../core/validators';

/** Why a gift card's balance moved. */
export const GIFT_CARD_CHANGE_KINDS = ['issue', 'spend', 'refund'] as const;

/** A gift card's balance moved (never its code or PIN). */
export class GiftCardChangedEvent extends EventPayloadBase {
  /** The card. */
  @IsId()
  giftCardId: string;

  /** Why it moved. */
  @IsIn(GIFT_CARD_CHANGE_KINDS, { message: `$property must be one of ${GIFT_CARD_CHANGE_KINDS.join(', ')}` })
  kind: string;

  /** Minor units added (positive) or taken (negative). */
  @IsInt({ message: '$property must be an integer' })
  delta: number;

  /** Balance after the change, in minor units. */
  @IsNonNegativeInt()
  balance: number;

  /** ISO 4217 currency of the card. */
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code' })
  currency: string;

  /** What caused it: an order id, or the issue. */
  @IsText(128)
  ref: string;
}

/** gift-card-changed: keyed by gift card id. */
export const GIFT_CARD_CHANGED = defineEvent<GiftCardChangedEvent>({
  topic: 'gift-card-changed',
  type: 'com.omniretail.member.gift-card-changed.v1',
  version: 1,
  source: 'member',
  payload: GiftCardChangedEvent,
  key: (payload) => payload.giftCardId,
  partitions: 6,
  summary: "A gift card's balance moved (issue, spend, refund to the card).",
});
