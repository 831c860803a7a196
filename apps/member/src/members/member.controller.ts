import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { optionalIdempotencyKey } from '@omni/platform';
import { ChannelAccountDto, LookupMemberDto, MemberParamsDto, MergeMembersDto, RegisterMemberDto } from './member.dto';
import { MemberService } from './member.service';
import { MemberIdentityView, MemberView } from './member.views';

/** Internal HTTP API of member identities (the gateway and staff tools call it). */
@Controller('internal/members')
export class MemberController {
  constructor(private readonly members: MemberService) {}

  /** Registers a member (or links the account to the member the phone already names). */
  @Post()
  register(@Body() body: RegisterMemberDto, @Headers('idempotency-key') key?: string): Promise<MemberIdentityView> {
    return this.members.register(body, optionalIdempotencyKey(key));
  }

  /** Finds a member by phone or channel account. */
  @Post('lookup')
  @HttpCode(200)
  lookup(@Body() body: LookupMemberDto): Promise<{ memberId: string }> {
    return this.members.lookup(body);
  }

  /** A member's profile, tier, benefits and points. */
  @Get(':memberId')
  get(@Param() params: MemberParamsDto): Promise<MemberView> {
    return this.members.profile(params.memberId);
  }

  /** Links a channel account; an account of another member merges the two. */
  @Post(':memberId/accounts')
  @HttpCode(200)
  link(@Param() params: MemberParamsDto, @Body() body: ChannelAccountDto, @Headers('idempotency-key') key?: string): Promise<MemberIdentityView> {
    return this.members.linkAccount(params.memberId, body, optionalIdempotencyKey(key));
  }

  /** Merges another member into this one (or this one into it: the older survives). */
  @Post(':memberId/merge')
  @HttpCode(200)
  merge(@Param() params: MemberParamsDto, @Body() body: MergeMembersDto, @Headers('idempotency-key') key?: string): Promise<MemberIdentityView> {
    return this.members.merge(params.memberId, body.otherMemberId, optionalIdempotencyKey(key));
  }
}
