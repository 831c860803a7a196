import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { optionalIdempotencyKey } from '@omni/platform';
import type { Response } from 'express';
import { StaffAuth } from '../auth/auth.decorators';
import { Upstreams } from '../upstream/upstreams';
import { AdjustmentDto, ReceiptDto } from './stock-admin.dto';

/** Stock documents for stock operators, relayed to inventory. */
@ApiTags('admin: stock')
@StaffAuth('stock-operator')
@Controller('admin/stock')
export class StockAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Signed stock corrections with a reason code; a repeated Idempotency-Key has no second effect. */
  @Post('adjustments')
  @ApiOperation({ summary: 'Adjust stock' })
  async adjust(@Body() body: AdjustmentDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const answer = await this.upstreams.inventory.call({ method: 'POST', path: 'internal/stock/adjustments', body, headers: { 'idempotency-key': optionalIdempotencyKey(key) } });
    res.status(answer.status);
    return answer.body;
  }

  /** Goods received at locations. */
  @Post('receipts')
  @ApiOperation({ summary: 'Receive stock' })
  async receive(@Body() body: ReceiptDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const answer = await this.upstreams.inventory.call({ method: 'POST', path: 'internal/stock/receipts', body, headers: { 'idempotency-key': optionalIdempotencyKey(key) } });
    res.status(answer.status);
    return answer.body;
  }
}
