import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RedeemStoreLoginDto, RefreshSessionDto, RefreshTokenDto, RequestOtpDto, VerifyOtpDto } from './sign-in.dto';
import { SessionService } from './session.service';
import { SignInService } from './sign-in.service';
import { StoreLoginService } from './store-login.service';
import type { OtpRequestedView, SessionView, StoreLoginMemberView } from './sign-in.views';

/** Internal HTTP API of sign-in (the gateway calls it): one-time codes, sessions, store QR logins. */
@Controller('internal')
export class SignInController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: SessionService,
    private readonly storeLogins: StoreLoginService,
  ) {}

  /** Sends a one-time code to the phone. */
  @Post('sign-in/otp')
  @HttpCode(202)
  requestCode(@Body() body: RequestOtpDto): Promise<OtpRequestedView> {
    return this.signIn.requestCode(body);
  }

  /** Checks the code; signs the member in (registering them on first sign-in) and opens a session. */
  @Post('sign-in/otp/verify')
  @HttpCode(200)
  verifyCode(@Body() body: VerifyOtpDto): Promise<SessionView> {
    return this.signIn.verifyCode(body);
  }

  /** Rotates a refresh token. */
  @Post('sessions/refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshSessionDto): Promise<SessionView> {
    return this.sessions.refresh(body.refreshToken, body.channel);
  }

  /** Ends the session a refresh token belongs to. */
  @Post('sessions/revoke')
  @HttpCode(200)
  revoke(@Body() body: RefreshTokenDto): Promise<{ revoked: boolean }> {
    return this.sessions.revoke(body.refreshToken);
  }

  /** Uses a store QR login code once and names its member. */
  @Post('store-logins/redeem')
  @HttpCode(200)
  redeem(@Body() body: RedeemStoreLoginDto): Promise<StoreLoginMemberView> {
    return this.storeLogins.redeem(body);
  }
}
