import { Module } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceCredentials } from '@omni/platform';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { MemberEnv } from '../config/member.config';
import { PointsModule } from '../points/points.module';
import { MemberEvents } from '../shared/member-events';
import { MEMBER_CLOCK } from '../shared/member.tokens';
import { CouponTemplateSource, HttpCouponTemplateSource } from './coupon-template.source';
import { MarketingController } from './marketing.controller';
import { MarketingService } from './marketing.service';
import { MarketingTasks } from './marketing.tasks';
import { MARKETING_INTERVAL_MS } from './marketing.tokens';

/** Injection token of where coupon templates are read. */
export const COUPON_TEMPLATE_SOURCE = Symbol('COUPON_TEMPLATE_SOURCE');

/** Scheduled member marketing: member-day and birthday coupons from pricing's templates. */
@Module({
  imports: [PointsModule],
  controllers: [MarketingController],
  providers: [
    {
      provide: COUPON_TEMPLATE_SOURCE,
      inject: [SERVICE_CONFIG, ServiceCredentials],
      useFactory: (env: MemberEnv, credentials: ServiceCredentials) => new HttpCouponTemplateSource(env.MEMBER_PRICING_URL, credentials),
    },
    { provide: MARKETING_INTERVAL_MS, inject: [SERVICE_CONFIG], useFactory: (env: MemberEnv) => env.MEMBER_MARKETING_INTERVAL_MS },
    {
      provide: MarketingService,
      inject: [DataSource, COUPON_TEMPLATE_SOURCE, MemberEvents, MEMBER_CLOCK, SERVICE_CONFIG],
      useFactory: (ds: DataSource, templates: CouponTemplateSource, events: MemberEvents, clock: Clock, env: MemberEnv) =>
        new MarketingService(ds, templates, events, clock, {
          memberDayTemplateId: env.MEMBER_DAY_TEMPLATE_ID,
          birthdayTemplateId: env.MEMBER_BIRTHDAY_TEMPLATE_ID,
          dayOfMonth: env.MEMBER_DAY_OF_MONTH,
          utcOffsetMinutes: env.MEMBER_MARKETING_UTC_OFFSET_MINUTES,
          batchSize: 500,
        }),
    },
    MarketingTasks,
  ],
  exports: [MarketingService],
})
export class MarketingModule {}
