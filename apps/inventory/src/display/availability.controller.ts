import { Controller, Get, Param, Query } from '@nestjs/common';
import { AvailabilityParamsDto, AvailabilityQueryDto, AvailabilityView } from './availability.dto';
import { AvailabilityService } from './availability.service';

/** Internal HTTP API of availability with display hints (composed by the gateway). */
@Controller('internal/availability')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  /** ATP of a SKU for a channel, per location, with the hint of the channel's display profile. */
  @Get(':sku')
  get(@Param() params: AvailabilityParamsDto, @Query() query: AvailabilityQueryDto): Promise<AvailabilityView> {
    return this.availability.availability(params.sku, query);
  }
}
