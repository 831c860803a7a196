import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { QuoteLockBranchDto, QuoteLockTryDto } from './quote-lock.dto';
import { QuoteLockService } from './quote-lock.service';
import { QuoteLockReply } from './quote-lock.types';

/** Internal HTTP API of the quote-lock participant; same semantics as pricing-branch-requested. */
@Controller('internal/quote-locks')
export class QuoteLockController {
  constructor(private readonly locks: QuoteLockService) {}

  /** Locks the quote (and its flash-sale units); 200 with outcome and reasons either way. */
  @Post('try')
  @HttpCode(200)
  try(@Body() body: QuoteLockTryDto): Promise<QuoteLockReply> {
    return this.locks.try(body);
  }

  /** Makes the lock final. */
  @Post('confirm')
  @HttpCode(200)
  confirm(@Body() body: QuoteLockBranchDto): Promise<QuoteLockReply> {
    return this.locks.confirm(body);
  }

  /** Releases the lock and its flash-sale units; a Cancel without a Try is recorded (empty rollback). */
  @Post('cancel')
  @HttpCode(200)
  cancel(@Body() body: QuoteLockBranchDto): Promise<QuoteLockReply> {
    return this.locks.cancel(body);
  }
}
