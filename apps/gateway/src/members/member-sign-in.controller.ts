import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChannelAuth, CurrentChannel } from '../auth/auth.decorators';
import type { ChannelPrincipal } from '../auth/principal';
import { RefreshDto, RequestOtpDto, VerifyOtpDto } from './member-api.dto';
import { MemberSessionGateway, type SignedInView } from './member-session.gateway';

/** Member sign-in for a channel's app or web: a one-time code by phone, then access and refresh tokens. */
@ApiTags('member sign-in')
@ChannelAuth()
@Controller('auth')
export class MemberSignInController {
  constructor(private readonly sessions: MemberSessionGateway) {}

  /** Sends a 6-digit code to the phone (valid 5 minutes, 5 attempts; a phone gets at most 5 codes per 15 minutes, one per 30 s: else 429). */
  @Post('otp')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a sign-in code to a phone' })
  @ApiAcceptedResponse({ description: 'The code was sent: { expiresAt, resendAfterSeconds }' })
  requestCode(@CurrentChannel() channel: ChannelPrincipal, @Body() body: RequestOtpDto): Promise<unknown> {
    return this.sessions.requestCode(channel, body);
  }

  /** Checks the code: the member is signed in (registered on first sign-in) and gets an access token and a refresh token; 401 with the reason otherwise. */
  @Post('otp/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with the code' })
  @ApiOkResponse({ description: '{ memberId, accessToken, tokenType, expiresIn, refreshToken, refreshExpiresAt, registered }' })
  verify(@CurrentChannel() channel: ChannelPrincipal, @Body() body: VerifyOtpDto): Promise<SignedInView> {
    return this.sessions.verifyCode(channel, body);
  }

  /** Spends the refresh token for a new access token and a new refresh token; a refresh token used twice ends the session (401 REFRESH_TOKEN_REUSED). */
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Refresh the access token (rotates the refresh token)' })
  @ApiOkResponse({ description: 'As sign-in' })
  refresh(@CurrentChannel() channel: ChannelPrincipal, @Body() body: RefreshDto): Promise<SignedInView> {
    return this.sessions.refresh(channel, body.refreshToken);
  }

  /** Ends the session the refresh token belongs to. */
  @Post('logout')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign out (revokes the refresh token and its family)' })
  @ApiOkResponse({ description: '{ revoked }' })
  logout(@Body() body: RefreshDto): Promise<unknown> {
    return this.sessions.logout(body.refreshToken);
  }
}
