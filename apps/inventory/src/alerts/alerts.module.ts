import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LowStockMonitor } from './low-stock.monitor';
import { ThresholdController } from './threshold.controller';
import { ThresholdService } from './threshold.service';

/** Low-stock thresholds (the monitor every stock writer calls in its transaction is wired once in InventoryCoreModule). */
@Module({
  controllers: [ThresholdController],
  providers: [{ provide: ThresholdService, inject: [DataSource, LowStockMonitor], useFactory: (ds: DataSource, m: LowStockMonitor) => new ThresholdService(ds, m) }],
})
export class AlertsModule {}
