import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { PutThresholdDto, ThresholdParamsDto, ThresholdView } from './threshold.dto';
import { ThresholdService } from './threshold.service';

/** Internal HTTP API of low-stock thresholds. */
@Controller('internal/thresholds')
export class ThresholdController {
  constructor(private readonly thresholds: ThresholdService) {}

  /** Sets (or changes) the threshold of a SKU at a location; evaluated at once. */
  @Put(':sku/:locationId')
  put(@Param() params: ThresholdParamsDto, @Body() body: PutThresholdDto): Promise<ThresholdView> {
    return this.thresholds.put(params.sku, params.locationId, body.threshold);
  }

  /** The threshold with current available and alert state. */
  @Get(':sku/:locationId')
  get(@Param() params: ThresholdParamsDto): Promise<ThresholdView> {
    return this.thresholds.get(params.sku, params.locationId);
  }

  /** Removes the threshold. */
  @Delete(':sku/:locationId')
  @HttpCode(204)
  remove(@Param() params: ThresholdParamsDto): Promise<void> {
    return this.thresholds.remove(params.sku, params.locationId);
  }
}
