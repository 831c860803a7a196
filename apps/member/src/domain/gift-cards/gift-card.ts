import { randomInt } from 'node:crypto';
import { allowed, refused, RuleResult } from '../member-rule.result';

/** A gift card's money as the rules see it (integer minor units). */
export interface GiftCardBalance {
  readonly balance: number;
  /** Amounts Trys froze that no Confirm or Cancel has settled yet. */
  readonly frozen: number;
  readonly status: 'active' | 'blocked';
}

/** What may be frozen now. */
export function spendableOf(card: GiftCardBalance): number {
  return card.status === 'active' ? card.balance - card.frozen : 0;
}

/** Whether a Try may freeze `amount` of the card (partial spends are fine; never past the balance). */
export function canFreezeAmount(card: GiftCardBalance, amount: number): RuleResult<number> {
  if (!Number.isInteger(amount) || amount <= 0) return refused('GIFT_CARD_AMOUNT_INVALID', 'the amount must be a positive integer of minor units');
  if (card.status !== 'active') return refused('GIFT_CARD_BLOCKED', 'the gift card is blocked');
  const spendable = spendableOf(card);
  return amount <= spendable ? allowed(amount) : refused('GIFT_CARD_INSUFFICIENT', `${amount} wanted, ${spendable} left on the card`);
}

/** A refund back to the card: a positive amount, never more than was spent from it for the order. */
export function canRefund(amount: number, spentForOrder: number, refundedForOrder: number): RuleResult<number> {
  if (!Number.isInteger(amount) || amount <= 0) return refused('GIFT_CARD_AMOUNT_INVALID', 'the amount must be a positive integer of minor units');
  const refundable = spentForOrder - refundedForOrder;
  return amount <= refundable ? allowed(amount) : refused('GIFT_CARD_REFUND_EXCEEDS_SPEND', `${amount} asked back, ${refundable} spent from this card for the order and not refunded`);
}

/** A new card's secrets: a 16-digit code (printed on the card) and a 6-digit PIN (under the scratch strip). */
export function newGiftCardSecrets(): { code: string; pin: string } {
  const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join('');
  return { code: digits(16), pin: digits(6) };
}

/** The shape of a gift card code and PIN, checked before any lookup. */
export const GIFT_CARD_CODE = /^[0-9]{16}$/;
/** The shape of a PIN. */
export const GIFT_CARD_PIN = /^[0-9]{6}$/;
