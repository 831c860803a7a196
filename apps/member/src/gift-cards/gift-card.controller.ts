import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { optionalIdempotencyKey } from '@omni/platform';
import { MemberParamsDto } from '../members/member.dto';
import { ClaimGiftCardDto, GiftCardParamsDto, GiftCardSecretDto, IssueGiftCardDto, RefundGiftCardDto } from './gift-card.dto';
import { GiftCardService } from './gift-card.service';
import { GiftCardView, IssuedGiftCardView } from './gift-card.views';

/** Internal HTTP API of gift cards. */
@Controller('internal')
export class GiftCardController {
  constructor(private readonly cards: GiftCardService) {}

  /** Issues a card (its code and PIN are shown this once). */
  @Post('gift-cards')
  issue(@Body() body: IssueGiftCardDto, @Headers('idempotency-key') key?: string): Promise<IssuedGiftCardView> {
    return this.cards.issue(body, optionalIdempotencyKey(key));
  }

  /** The balance of the card a code and PIN name. */
  @Post('gift-cards/check')
  @HttpCode(200)
  check(@Body() body: GiftCardSecretDto): Promise<GiftCardView> {
    return this.cards.check(body);
  }

  /** Refunds part of an order's spend to the card. */
  @Post('gift-cards/:giftCardId/refund')
  @HttpCode(200)
  refund(@Param() params: GiftCardParamsDto, @Body() body: RefundGiftCardDto, @Headers('idempotency-key') key?: string): Promise<GiftCardView> {
    return this.cards.refund(params.giftCardId, body, optionalIdempotencyKey(key));
  }

  /** Adds a card to the member's wallet. */
  @Post('members/:memberId/gift-cards/claim')
  @HttpCode(200)
  claim(@Param() params: MemberParamsDto, @Body() body: ClaimGiftCardDto, @Headers('idempotency-key') key?: string): Promise<GiftCardView> {
    return this.cards.claim(params.memberId, body, optionalIdempotencyKey(key));
  }

  /** The member's cards. */
  @Get('members/:memberId/gift-cards')
  list(@Param() params: MemberParamsDto): Promise<GiftCardView[]> {
    return this.cards.list(params.memberId);
  }
}
