import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { AllocationParamsDto, AllocationSkuParamsDto, AllocationView, PutAllocationDto } from './allocation.dto';
import { AllocationAdminService } from './allocation-admin.service';

/** Internal HTTP API of channel allocation (ops console). */
@Controller('internal/allocations')
export class AllocationAdminController {
  constructor(private readonly allocations: AllocationAdminService) {}

  /** Sets a channel's rule for a SKU: shared with a safety stock, or a dedicated quota. */
  @Put(':sku/:channel')
  put(@Param() params: AllocationParamsDto, @Body() body: PutAllocationDto): Promise<AllocationView> {
    return this.allocations.put(params.sku, params.channel, body);
  }

  /** The channel rules of a SKU with each channel's ATP. */
  @Get(':sku')
  list(@Param() params: AllocationSkuParamsDto): Promise<AllocationView[]> {
    return this.allocations.list(params.sku);
  }
}
