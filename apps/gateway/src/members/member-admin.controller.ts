import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffAuth } from '../auth/auth.decorators';
import { ErrorBodyView } from '../docs/error-body.view';
import { MemberIdParamDto, OrdersPageQueryDto, PointsPageQueryDto } from './member-api.dto';
import { MemberDataGateway } from './member-data.gateway';

/** A member's data for staff (member support), read only. */
@ApiTags('admin members')
@StaffAuth('member-support')
@ApiNotFoundResponse({ description: 'No such member', type: ErrorBodyView })
@Controller('admin/members/:id')
export class MemberAdminController {
  constructor(private readonly data: MemberDataGateway) {}

  /** The member's profile (phone masked). */
  @Get()
  @ApiOperation({ summary: "A member's profile" })
  @ApiOkResponse({ description: "Member's profile" })
  profile(@Param() params: MemberIdParamDto): Promise<unknown> {
    return this.data.profile(params.id);
  }

  /** Points and history. */
  @Get('points')
  @ApiOperation({ summary: "A member's points" })
  @ApiOkResponse({ description: '{ balance, frozen, available, history, nextBefore }' })
  points(@Param() params: MemberIdParamDto, @Query() query: PointsPageQueryDto): Promise<unknown> {
    return this.data.points(params.id, query.limit ?? 20, query.before);
  }

  /** The coupon wallet. */
  @Get('coupons')
  @ApiOperation({ summary: "A member's coupons" })
  @ApiOkResponse({ description: 'Coupons' })
  coupons(@Param() params: MemberIdParamDto): Promise<unknown> {
    return this.data.coupons(params.id);
  }

  /** Gift cards (balances only). */
  @Get('gift-cards')
  @ApiOperation({ summary: "A member's gift cards" })
  @ApiOkResponse({ description: 'Gift cards' })
  giftCards(@Param() params: MemberIdParamDto): Promise<unknown> {
    return this.data.giftCards(params.id);
  }

  /** Orders on every channel. */
  @Get('orders')
  @ApiOperation({ summary: "A member's orders" })
  @ApiOkResponse({ description: '{ items, nextBefore }' })
  orders(@Param() params: MemberIdParamDto, @Query() query: OrdersPageQueryDto): Promise<unknown> {
    return this.data.orders(params.id, query.limit ?? 20, query.before);
  }
}
