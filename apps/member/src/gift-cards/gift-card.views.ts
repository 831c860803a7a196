/** A gift card's money (never its code or PIN). */
export interface GiftCardView {
  giftCardId: string;
  memberId: string | null;
  currency: string;
  balance: number;
  frozen: number;
  available: number;
  status: string;
}

/** A card just issued: the only answer that ever carries its code and PIN (absent on a replay of the same Idempotency-Key). */
export interface IssuedGiftCardView extends GiftCardView {
  code?: string;
  pin?: string;
}
