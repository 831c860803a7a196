import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ChannelAuthWithMember, CurrentChannel, CurrentMember } from '../auth/auth.decorators';
import type { ChannelPrincipal, MemberPrincipal } from '../auth/principal';
import { ErrorBodyView } from '../docs/error-body.view';
import { CartQuoteDto } from './cart.dto';
import { CartService } from './cart.service';

/** Cart pricing for the caller's channel. */
@ApiTags('cart')
@ChannelAuthWithMember()
@Controller('cart')
export class CartController {
  constructor(private readonly cart: CartService) {}

  /** Prices a cart with the channel's prices, rules and the given coupons, for the member the credentials name (never one from the body). */
  @Post('quote')
  @HttpCode(200)
  @ApiOperation({ summary: 'Quote a cart on the channel' })
  @ApiOkResponse({ description: "Pricing's quote: lines, applied rules, rejected coupons, totals in minor units" })
  @ApiUnprocessableEntityResponse({ description: 'A SKU is not sold on this channel', type: ErrorBodyView })
  quote(@CurrentChannel() channel: ChannelPrincipal, @CurrentMember() member: MemberPrincipal | undefined, @Body() body: CartQuoteDto): Promise<unknown> {
    return this.cart.quote(channel, body.lines, body.couponCodes, member?.memberId);
  }
}
