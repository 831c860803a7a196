import { Module } from '@nestjs/common';
import { EVENT_CONTRACTS, EventContract, MEMBER_BRANCH_REQUESTED, ORDER_PAID, ORDER_REFUND_REQUIRED, TCC_BRANCH_REPLIED } from '@omni/contracts';
import { PlatformModule } from '@omni/platform';
import { TCC_BARRIER_RETENTION, TccBarrierMigration1763700000000 } from '@omni/tcc';
import { MemberBranchModule } from './branches/member-branch.module';
import { MemberEnv } from './config/member.config';
import { CouponsModule } from './coupons/coupons.module';
import { GiftCardsModule } from './gift-cards/gift-cards.module';
import { MembersModule } from './members/members.module';
import { MemberInit1763700000000 } from './migrations/1763700000000-init.migration';
import { MemberCore1765100000000 } from './migrations/1765100000000-member-core.migration';
import { MemberSignIn1765300000000 } from './migrations/1765300000000-member-sign-in.migration';
import { MemberMarketingRefunds1765300000100 } from './migrations/1765300000100-member-marketing-refunds.migration';
import { MarketingModule } from './marketing/marketing.module';
import { OrderEventsModule } from './order-events/order-events.module';
import { PointsModule } from './points/points.module';
import { MemberSharedModule } from './shared/member-shared.module';
import { SignInModule } from './sign-in/sign-in.module';

/** One member identity across channels, tiers, points, coupon wallet and gift cards (TCC participant). */
@Module({
  imports: [
    PlatformModule.forRoot({
      name: 'member',
      defaultPort: 3005,
      env: MemberEnv,
      entities: [],
      migrations: [MemberInit1763700000000, TccBarrierMigration1763700000000, MemberCore1765100000000, MemberSignIn1765300000000, MemberMarketingRefunds1765300000100],
      // Replies to the saga travel on the shared tcc-branch-replied topic.
      publishes: [...EVENT_CONTRACTS.filter((contract) => contract.source === 'member'), TCC_BRANCH_REPLIED as EventContract],
      // The saga's commands, paid orders (points are earned on them) and refunds (points reversed, gift cards refunded).
      consumes: [MEMBER_BRANCH_REQUESTED as EventContract, ORDER_PAID as EventContract, ORDER_REFUND_REQUIRED as EventContract],
      dedupTables: [TCC_BARRIER_RETENTION],
    }),
    MemberSharedModule,
    MembersModule,
    PointsModule,
    CouponsModule,
    GiftCardsModule,
    MemberBranchModule,
    SignInModule,
    OrderEventsModule,
    MarketingModule,
  ],
})
export class AppModule {}
