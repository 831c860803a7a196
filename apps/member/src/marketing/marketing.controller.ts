import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RunMarketingDto } from './marketing.dto';
import { MarketingService, OccasionRunView } from './marketing.service';

/** Internal HTTP API of scheduled marketing: run it now (ops, tests); the schedule runs the same. */
@Controller('internal/marketing')
export class MarketingController {
  constructor(private readonly marketing: MarketingService) {}

  /** Issues the occasions of now (or of `at`, for a catch-up): safe to repeat. */
  @Post('run')
  @HttpCode(200)
  run(@Body() body: RunMarketingDto): Promise<OccasionRunView[]> {
    return this.marketing.run(body.at ? new Date(body.at) : undefined);
  }
}
