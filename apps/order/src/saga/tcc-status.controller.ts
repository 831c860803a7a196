import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { TccStatusAnswer } from '@omni/tcc';
import { ResolveTransactionsDto } from './tcc-status.dto';
import { TccStatusService } from './tcc-status.service';

/** The coordinator's status query, asked by participants (inventory, pricing) over the internal API. */
@Controller('tcc/transactions')
export class TccStatusController {
  constructor(private readonly status: TccStatusService) {}

  /** 200 with one answer per transaction: its status and deadline; past the deadline, the cancel decision. */
  @Post('resolve')
  @HttpCode(200)
  async resolve(@Body() body: ResolveTransactionsDto): Promise<{ transactions: TccStatusAnswer[] }> {
    return { transactions: await this.status.resolve(body.gids) };
  }
}
