import { Module } from '@nestjs/common';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { MemberEvents } from '../shared/member-events';
import { MEMBER_CLOCK } from '../shared/member.tokens';
import { CouponController } from './coupon.controller';
import { CouponService } from './coupon.service';

/** The coupon wallet. */
@Module({
  controllers: [CouponController],
  providers: [
    { provide: CouponService, inject: [DataSource, MemberEvents, MEMBER_CLOCK], useFactory: (ds: DataSource, events: MemberEvents, clock: Clock) => new CouponService(ds, events, clock) },
  ],
  exports: [CouponService],
})
export class CouponsModule {}
