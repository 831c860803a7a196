import { Controller, HttpCode, Param, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { OrderIntakeService, type WebhookResult } from './order-intake.service';

/** Platform webhooks (new and cancelled orders): signed by the platform, checked over the exact bytes received. */
@Controller('webhooks')
export class WebhookController {
  constructor(private readonly intake: OrderIntakeService) {}

  /** 200 with what we answered the platform; 401 forged, stale or unsigned; 400 unreadable; 503 try again. */
  @Post(':platform')
  @HttpCode(200)
  receive(@Param('platform') platform: string, @Req() req: RawBodyRequest<Request>): Promise<WebhookResult> {
    return this.intake.webhook(platform, { headers: req.headers as Record<string, string | undefined>, rawBody: req.rawBody?.toString('utf8') ?? '' });
  }
}
