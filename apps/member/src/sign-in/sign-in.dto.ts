import { IsDateString, Matches } from 'class-validator';
import { IsChannelCode, IsId } from '@omni/contracts';

const PHONE_INPUT = /^\+?[0-9 ().-]{6,30}$/;
const PHONE_MESSAGE = '$property must be a phone number (6-20 digits, optional +)';
const REFRESH_TOKEN = /^mrt_[A-Za-z0-9_-]{43}$/;

/** POST /internal/sign-in/otp: send a one-time code to a phone. */
export class RequestOtpDto {
  @IsChannelCode()
  channel: string;

  @Matches(PHONE_INPUT, { message: PHONE_MESSAGE })
  phone: string;
}

/** POST /internal/sign-in/otp/verify: the code the phone received; registers the member on first sign-in. */
export class VerifyOtpDto {
  @IsChannelCode()
  channel: string;

  @Matches(PHONE_INPUT, { message: PHONE_MESSAGE })
  phone: string;

  @Matches(/^[0-9]{6}$/, { message: '$property must be the 6-digit code' })
  code: string;
}

/** POST /internal/sessions/revoke: a refresh token as the client holds it. */
export class RefreshTokenDto {
  @Matches(REFRESH_TOKEN, { message: '$property must be a refresh token (mrt_ and 43 characters)' })
  refreshToken: string;
}

/** POST /internal/sessions/refresh: the token and the channel presenting it (a token works on its own channel only). */
export class RefreshSessionDto extends RefreshTokenDto {
  @IsChannelCode()
  channel: string;
}

/** POST /internal/store-logins/redeem: a store QR login code the gateway verified (signature and expiry), used once. */
export class RedeemStoreLoginDto {
  @Matches(/^[A-Za-z0-9_-]{16,64}$/, { message: '$property must be a code id (16-64 characters of A-Z a-z 0-9 _ -)' })
  codeId: string;

  @IsId()
  memberId: string;

  @IsId()
  locationId: string;

  @IsDateString({ strict: true }, { message: '$property must be an ISO-8601 timestamp' })
  expiresAt: string;
}
