import { Controller, Get, Param, Query } from '@nestjs/common';
import { ReplenishmentParamsDto, ReplenishmentQueryDto, ReplenishmentReport } from './replenishment.dto';
import { ReplenishmentService } from './replenishment.service';

/** Internal HTTP API of replenishment suggestions. */
@Controller('internal/replenishment')
export class ReplenishmentController {
  constructor(private readonly replenishment: ReplenishmentService) {}

  /** Suggested order quantities per SKU for a location. */
  @Get(':locationId')
  suggest(@Param() params: ReplenishmentParamsDto, @Query() query: ReplenishmentQueryDto): Promise<ReplenishmentReport> {
    return this.replenishment.suggest(params.locationId, query.days, query.targetDays, query.leadTimeDays);
  }
}
