import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AtpCache } from '../redis-gate/atp-cache';
import { StockLedger } from '../stock/stock-ledger';
import { StockOperationController } from './stock-operation.controller';
import { StockOperationRunner } from './stock-operation.runner';
import { StockOperationsService } from './stock-operations.service';
import { StockQueryService } from './stock-query.service';
import { TransferService } from './transfer.service';

/** Receipts, returns, adjustments, stocktakes and transfers over the stock ledger. */
@Module({
  controllers: [StockOperationController],
  providers: [
    {
      provide: StockOperationRunner,
      inject: [DataSource, StockLedger, AtpCache],
      useFactory: (ds: DataSource, ledger: StockLedger, cache: AtpCache) => new StockOperationRunner(ds, ledger, cache),
    },
    { provide: StockOperationsService, inject: [StockOperationRunner], useFactory: (r: StockOperationRunner) => new StockOperationsService(r) },
    { provide: TransferService, inject: [StockOperationRunner], useFactory: (r: StockOperationRunner) => new TransferService(r) },
    { provide: StockQueryService, inject: [DataSource], useFactory: (ds: DataSource) => new StockQueryService(ds) },
  ],
})
export class MovementsModule {}
