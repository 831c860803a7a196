import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsId } from '@omni/contracts';

const AMOUNT = '$property must be an integer of minor units between 1 and 100000000';

/** POST /internal/gift-cards: issue a card with a balance (optionally straight into a member's wallet). */
export class IssueGiftCardDto {
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code of 3 uppercase letters' })
  currency: string;

  @IsInt({ message: AMOUNT })
  @Min(1, { message: AMOUNT })
  @Max(100_000_000, { message: AMOUNT })
  amount: number;

  @IsOptional()
  @IsId()
  memberId?: string;
}

/** A card as its holder names it: the printed code and the PIN. */
export class GiftCardSecretDto {
  @Matches(/^[0-9]{16}$/, { message: '$property must be the 16-digit card code' })
  code: string;

  @Matches(/^[0-9]{6}$/, { message: '$property must be the 6-digit PIN' })
  pin: string;
}

/** POST /internal/members/:memberId/gift-cards/claim: a holder adds a card they have to their wallet. */
export class ClaimGiftCardDto extends GiftCardSecretDto {}

/** POST /internal/gift-cards/:giftCardId/refund: money of a returned order goes back to the card. */
export class RefundGiftCardDto {
  @IsId()
  orderId: string;

  @IsInt({ message: AMOUNT })
  @Min(1, { message: AMOUNT })
  @Max(100_000_000, { message: AMOUNT })
  amount: number;
}

/** Route parameters naming a card. */
export class GiftCardParamsDto {
  @IsId()
  giftCardId: string;
}
