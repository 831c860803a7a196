import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { optionalIdempotencyKey } from '@omni/platform';
import { MemberParamsDto } from '../members/member.dto';
import { EarnPointsDto, ReverseEarnDto } from './points.dto';
import { PointsService } from './points.service';
import { EarnView, PointsView } from './points.views';

/** Internal HTTP API of a member's points. */
@Controller('internal')
export class PointsController {
  constructor(private readonly points: PointsService) {}

  /** Balance, history and batches. */
  @Get('members/:memberId/points')
  get(@Param() params: MemberParamsDto): Promise<PointsView> {
    return this.points.view(params.memberId);
  }

  /** Earns points for a paid order (once per order). */
  @Post('members/:memberId/points/earn')
  @HttpCode(200)
  earn(@Param() params: MemberParamsDto, @Body() body: EarnPointsDto, @Headers('idempotency-key') key?: string): Promise<EarnView> {
    return this.points.earn(params.memberId, body, optionalIdempotencyKey(key));
  }

  /** Takes back what a refunded order earned. */
  @Post('points/reverse')
  @HttpCode(200)
  reverse(@Body() body: ReverseEarnDto, @Headers('idempotency-key') key?: string): Promise<{ orderId: string; reversed: number; shortfall: number }> {
    return this.points.reverseEarn(body.orderId, optionalIdempotencyKey(key));
  }

  /** Expires every batch past its date now (the scheduled job runs the same). */
  @Post('points/expire-due')
  @HttpCode(200)
  expire(): Promise<{ members: number; points: number }> {
    return this.points.expireDue();
  }
}
