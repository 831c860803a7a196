import { Module } from '@nestjs/common';
import { MESSAGING_OPTIONS, MessagingModuleOptions, OutboxWriter, TopicNames } from '@omni/messaging';
import { REDIS_CLIENT } from '@omni/platform';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AlertsModule } from '../alerts/alerts.module';
import { LowStockAlertingSink } from '../alerts/low-stock-alerting.sink';
import { LowStockMonitor } from '../alerts/low-stock.monitor';
import { AtpCache } from '../redis-gate/atp-cache';
import { loadReservationConfig } from '../reservation/reservation.config';
import { OutboxStockChangedSink } from '../stock/outbox-stock-changed.sink';
import { StockLedger } from '../stock/stock-ledger';
import { StockOperationController } from './stock-operation.controller';
import { StockOperationRunner } from './stock-operation.runner';
import { StockOperationsService } from './stock-operations.service';
import { StockQueryService } from './stock-query.service';
import { TransferService } from './transfer.service';

/** Receipts, returns, adjustments, stocktakes and transfers over the stock ledger. */
@Module({
  imports: [AlertsModule],
  controllers: [StockOperationController],
  providers: [
    {
      provide: StockLedger,
      inject: [MESSAGING_OPTIONS, LowStockMonitor],
      // Same INVENTORY_CHANNELS as the reservation participant, so every stock-changed reports the same channels.
      useFactory: (options: MessagingModuleOptions, monitor: LowStockMonitor) =>
        new StockLedger(new LowStockAlertingSink(new OutboxStockChangedSink(new OutboxWriter(new TopicNames(options.topicPrefix))), monitor), {
          activeChannels: loadReservationConfig().INVENTORY_CHANNELS,
        }),
    },
    {
      provide: StockOperationRunner,
      inject: [DataSource, StockLedger, REDIS_CLIENT],
      useFactory: (ds: DataSource, ledger: StockLedger, redis: Redis) => new StockOperationRunner(ds, ledger, new AtpCache(redis)),
    },
    { provide: StockOperationsService, inject: [StockOperationRunner], useFactory: (r: StockOperationRunner) => new StockOperationsService(r) },
    { provide: TransferService, inject: [StockOperationRunner], useFactory: (r: StockOperationRunner) => new TransferService(r) },
    { provide: StockQueryService, inject: [DataSource], useFactory: (ds: DataSource) => new StockQueryService(ds) },
  ],
  exports: [StockLedger],
})
export class MovementsModule {}
