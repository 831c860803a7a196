import { Module } from '@nestjs/common';
import { MESSAGING_OPTIONS, MessagingModuleOptions, OutboxWriter, TopicNames } from '@omni/messaging';
import { DataSource } from 'typeorm';
import { LowStockMonitor } from './low-stock.monitor';
import { ThresholdController } from './threshold.controller';
import { ThresholdService } from './threshold.service';

/** Low-stock thresholds and the monitor every stock writer calls in its transaction. */
@Module({
  controllers: [ThresholdController],
  providers: [
    {
      provide: LowStockMonitor,
      inject: [MESSAGING_OPTIONS],
      useFactory: (options: MessagingModuleOptions) => new LowStockMonitor(new OutboxWriter(new TopicNames(options.topicPrefix))),
    },
    { provide: ThresholdService, inject: [DataSource, LowStockMonitor], useFactory: (ds: DataSource, m: LowStockMonitor) => new ThresholdService(ds, m) },
  ],
  exports: [LowStockMonitor],
})
export class AlertsModule {}
