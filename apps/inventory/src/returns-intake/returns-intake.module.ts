import { Module } from '@nestjs/common';
import { AtpReconciler } from '../redis-gate/atp.reconciler';
import { StockLedger } from '../stock/stock-ledger';
import { ReturnDisposedHandler } from './return-disposed.handler';
import { ReturnIntakeService } from './return-intake.service';

/** Returns disposed of in the order service: restocked units go back on hand through the return-restock operation. */
@Module({
  providers: [
    {
      provide: ReturnIntakeService,
      inject: [StockLedger, AtpReconciler],
      useFactory: (ledger: StockLedger, reconciler: AtpReconciler) => new ReturnIntakeService(ledger, reconciler),
    },
    ReturnDisposedHandler,
  ],
})
export class ReturnsIntakeModule {}
