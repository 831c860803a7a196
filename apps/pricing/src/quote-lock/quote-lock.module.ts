import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { PricingEnv } from '../config/pricing.config';
import { PRICING_CLOCK } from '../shared/pricing.tokens';
import { QuoteLockExpirySweeper } from './quote-lock-expiry.sweeper';
import { QuoteLockController } from './quote-lock.controller';
import { QuoteLockCommandHandler } from './quote-lock.handler';
import { QuoteLockService } from './quote-lock.service';
import { QuoteLockTasks } from './quote-lock.tasks';

/** The quote lock: a TCC participant over HTTP and Kafka, with its expiry sweeper. */
@Module({
  controllers: [QuoteLockController],
  providers: [
    { provide: QuoteLockService, inject: [DataSource, PRICING_CLOCK], useFactory: (ds: DataSource, clock: Clock) => new QuoteLockService(ds, clock) },
    {
      provide: QuoteLockExpirySweeper,
      inject: [DataSource, QuoteLockService, SERVICE_CONFIG, PRICING_CLOCK],
      useFactory: (ds: DataSource, locks: QuoteLockService, env: PricingEnv, clock: Clock) => new QuoteLockExpirySweeper(ds, locks, env.QUOTE_LOCK_GRACE_MS, clock),
    },
    QuoteLockCommandHandler,
    QuoteLockTasks,
  ],
  exports: [QuoteLockService, QuoteLockExpirySweeper],
})
export class QuoteLockModule {}
