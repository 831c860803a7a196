import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { MemberBranchDto, MemberBranchTryDto } from './member-branch.dto';
import { MemberBranchService } from './member-branch.service';
import { MemberBranchReply } from './member-branch.types';

/** Internal HTTP API of the member participant; same semantics as member-branch-requested. */
@Controller('internal/member-branches')
export class MemberBranchController {
  constructor(private readonly branches: MemberBranchService) {}

  /** Freezes the coupons, points and gift-card amount; 200 with outcome and reasons either way. */
  @Post('try')
  @HttpCode(200)
  try(@Body() body: MemberBranchTryDto): Promise<MemberBranchReply> {
    return this.branches.try(body);
  }

  /** Consumes what the Try froze. */
  @Post('confirm')
  @HttpCode(200)
  confirm(@Body() body: MemberBranchDto): Promise<MemberBranchReply> {
    return this.branches.confirm(body);
  }

  /** Unfreezes what the Try froze; a Cancel without a Try is recorded (empty rollback). */
  @Post('cancel')
  @HttpCode(200)
  cancel(@Body() body: MemberBranchDto): Promise<MemberBranchReply> {
    return this.branches.cancel(body);
  }
}
