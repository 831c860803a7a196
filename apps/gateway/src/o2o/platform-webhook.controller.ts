import { Controller, Param, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PlatformParamDto } from './o2o-admin.dto';
import { PlatformWebhookRelay } from './platform-webhook.relay';

/**
 * The public address of the delivery platforms' and marketplaces' webhooks (new and cancelled
 * orders). No API key: the platform's signature over the exact body is the credential, checked by
 * the O2O connector. Not part of the API document: platforms call it, our users do not.
 */
@ApiExcludeController()
@Controller('webhooks')
export class PlatformWebhookController {
  constructor(private readonly relay: PlatformWebhookRelay) {}

  /** Relays the webhook as received; answers what the connector answered. */
  @Post(':platform')
  async receive(@Param() params: PlatformParamDto, @Req() req: RawBodyRequest<Request>, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const answer = await this.relay.relay(params.platform, req.rawBody ?? Buffer.alloc(0), req.headers);
    res.status(answer.status);
    return answer.body;
  }
}
