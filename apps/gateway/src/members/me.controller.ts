import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentMember, MemberAuth } from '../auth/auth.decorators';
import type { MemberPrincipal } from '../auth/principal';
import { OrdersPageQueryDto, PointsPageQueryDto } from './member-api.dto';
import { MemberDataGateway } from './member-data.gateway';
import { MemberSessionGateway } from './member-session.gateway';

/** The signed-in member's own data (member token of the key's channel, or an integration's channel account). */
@ApiTags('me')
@MemberAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly data: MemberDataGateway,
    private readonly sessions: MemberSessionGateway,
  ) {}

  /** Profile: tier, benefits, points balance, linked account kinds; the phone masked. */
  @Get()
  @ApiOperation({ summary: 'My profile' })
  @ApiOkResponse({ description: "Member's profile" })
  profile(@CurrentMember() member: MemberPrincipal): Promise<unknown> {
    return this.data.profile(member.memberId);
  }

  /** Tier, until when it holds, and its benefits. */
  @Get('tier')
  @ApiOperation({ summary: 'My tier' })
  @ApiOkResponse({ description: '{ memberId, tier, tierPeriodEnd, benefits }' })
  tier(@CurrentMember() member: MemberPrincipal): Promise<unknown> {
    return this.data.tier(member.memberId);
  }

  /** Points balance and history, newest first, paged with `before`. */
  @Get('points')
  @ApiOperation({ summary: 'My points and their history' })
  @ApiOkResponse({ description: '{ balance, frozen, available, history, nextBefore }' })
  points(@CurrentMember() member: MemberPrincipal, @Query() query: PointsPageQueryDto): Promise<unknown> {
    return this.data.points(member.memberId, query.limit ?? 20, query.before);
  }

  /** The coupon wallet. */
  @Get('coupons')
  @ApiOperation({ summary: 'My coupons' })
  @ApiOkResponse({ description: 'Coupons with their status and validity' })
  coupons(@CurrentMember() member: MemberPrincipal): Promise<unknown> {
    return this.data.coupons(member.memberId);
  }

  /** Gift cards: balances only, never a code or PIN. */
  @Get('gift-cards')
  @ApiOperation({ summary: 'My gift cards' })
  @ApiOkResponse({ description: 'Gift cards (id, currency, balance, frozen, available, status)' })
  giftCards(@CurrentMember() member: MemberPrincipal): Promise<unknown> {
    return this.data.giftCards(member.memberId);
  }

  /** Orders on every channel, newest first, paged with `before`. */
  @Get('orders')
  @ApiOperation({ summary: 'My orders' })
  @ApiOkResponse({ description: '{ items, nextBefore }' })
  orders(@CurrentMember() member: MemberPrincipal, @Query() query: OrdersPageQueryDto): Promise<unknown> {
    return this.data.orders(member.memberId, query.limit ?? 20, query.before);
  }

  /** A store login code (valid 60 s, once) for the app to show as a QR code at a till. */
  @Post('store-login-code')
  @HttpCode(200)
  @ApiOperation({ summary: 'Get a store login code' })
  @ApiOkResponse({ description: '{ code, expiresAt }' })
  storeLoginCode(@CurrentMember() member: MemberPrincipal): { code: string; expiresAt: string } {
    return this.sessions.storeLoginCode(member);
  }
}
