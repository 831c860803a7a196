import { Body, Controller, Get, Headers, Param, Post } from '@nestjs/common';
import { optionalIdempotencyKey } from '@omni/platform';
import { MemberParamsDto } from '../members/member.dto';
import { IssueCouponDto } from './coupon.dto';
import { CouponService } from './coupon.service';
import { CouponView } from './coupon.views';

/** Internal HTTP API of the coupon wallet. */
@Controller('internal/members/:memberId/coupons')
export class CouponController {
  constructor(private readonly coupons: CouponService) {}

  /** Issues a coupon into the wallet. */
  @Post()
  issue(@Param() params: MemberParamsDto, @Body() body: IssueCouponDto, @Headers('idempotency-key') key?: string): Promise<CouponView> {
    return this.coupons.issue(params.memberId, body, optionalIdempotencyKey(key));
  }

  /** The wallet. */
  @Get()
  list(@Param() params: MemberParamsDto): Promise<CouponView[]> {
    return this.coupons.list(params.memberId);
  }
}
