import { Module } from '@nestjs/common';
import { EVENT_CONTRACTS } from '@omni/contracts';
import { PlatformModule } from '@omni/platform';
import { MemberEnv } from './config/member.config';
import { MemberInit1763700000000 } from './migrations/1763700000000-init.migration';

/** One member identity across channels, tiers, points, coupon wallet and gift cards (TCC participant). */
@Module({
  imports: [
    PlatformModule.forRoot({
      name: 'member',
      defaultPort: 3005,
      env: MemberEnv,
      entities: [],
      migrations: [MemberInit1763700000000],
      publishes: EVENT_CONTRACTS.filter((contract) => contract.source === 'member'),
      consumes: [],
    }),
  ],
})
export class AppModule {}
