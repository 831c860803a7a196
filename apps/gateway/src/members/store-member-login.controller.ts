import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ChannelAuth, CurrentChannel } from '../auth/auth.decorators';
import type { ChannelPrincipal } from '../auth/principal';
import { ErrorBodyView } from '../docs/error-body.view';
import { StoreMemberLoginDto } from './member-api.dto';
import { MemberSessionGateway } from './member-session.gateway';

/** Store tills log a member in for a sale by the code the member's app shows. */
@ApiTags('store')
@ChannelAuth()
@Controller('store')
export class StoreMemberLoginController {
  constructor(private readonly sessions: MemberSessionGateway) {}

  /** The member of a store login code (store keys only); a code works once and for 60 s. */
  @Post('member-login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log a member in at the till by their app code (store keys only)' })
  @ApiOkResponse({ description: '{ memberId, tier, displayName } (the name masked)' })
  @ApiUnprocessableEntityResponse({ description: 'Forged or expired code (STORE_LOGIN_CODE_INVALID, STORE_LOGIN_CODE_EXPIRED)', type: ErrorBodyView })
  @ApiConflictResponse({ description: 'The code was already used (STORE_LOGIN_CODE_USED)', type: ErrorBodyView })
  login(@CurrentChannel() store: ChannelPrincipal, @Body() body: StoreMemberLoginDto): Promise<unknown> {
    return this.sessions.storeLogin(store, body.code);
  }
}
