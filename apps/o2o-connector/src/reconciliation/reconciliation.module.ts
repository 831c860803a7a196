import { Module } from '@nestjs/common';
import { OrderIntakeModule } from '../order-intake/order-intake.module';
import { PlatformsModule } from '../platforms/platforms.module';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationService } from './reconciliation.service';
import { ReconciliationStore } from './reconciliation.store';

/** Daily settlement reconciliation per platform. */
@Module({
  imports: [PlatformsModule, OrderIntakeModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationStore, ReconciliationService],
})
export class ReconciliationModule {}
