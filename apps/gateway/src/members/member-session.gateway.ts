import { HttpException, Injectable } from '@nestjs/common';
import { DomainError, DomainErrorType } from '@omni/platform';
import type { ChannelPrincipal, MemberPrincipal } from '../auth/principal';
import { MemberTokenService, type MemberAccessToken } from '../auth/member-token.service';
import { Upstreams } from '../upstream/upstreams';
import type { RequestOtpDto, VerifyOtpDto } from './member-api.dto';

/** Member's answer to a sign-in or a refresh. */
interface MemberSession {
  memberId: string;
  channel: string;
  refreshToken: string;
  refreshExpiresAt: string;
  registered?: boolean;
}

/** What a frontend gets on sign-in and refresh: a short-lived access token and the next refresh token. */
export interface SignedInView extends MemberAccessToken {
  memberId: string;
  refreshToken: string;
  refreshExpiresAt: string;
  registered?: boolean;
}

/** Member's own 401 (bad code, spent token) and 429 (too many codes) are the caller's, so they are relayed. */
const RELAY = [401, 429];

/**
 * Sign-in through the gateway: member sends and checks the one-time codes and keeps the refresh
 * tokens (hashed, rotated); the gateway signs the access token it will verify itself later.
 */
@Injectable()
export class MemberSessionGateway {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly tokens: MemberTokenService,
  ) {}

  /** Asks member to send a code to the phone. */
  async requestCode(channel: ChannelPrincipal, body: RequestOtpDto): Promise<{ expiresAt: string; resendAfterSeconds: number }> {
    const { body: sent } = await this.upstreams.member.call<{ expiresAt: string; resendAfterSeconds: number }>({
      method: 'POST',
      path: 'internal/sign-in/otp',
      body: { channel: channel.channel, phone: body.phone },
      relayStatuses: RELAY,
    });
    return { expiresAt: sent.expiresAt, resendAfterSeconds: sent.resendAfterSeconds };
  }

  /** Checks the code; the member is signed in on the key's channel (registered on first sign-in). */
  async verifyCode(channel: ChannelPrincipal, body: VerifyOtpDto): Promise<SignedInView> {
    const { body: session } = await this.upstreams.member.call<MemberSession>({
      method: 'POST',
      path: 'internal/sign-in/otp/verify',
      body: { channel: channel.channel, phone: body.phone, code: body.code },
      relayStatuses: RELAY,
    });
    return this.signedIn(session);
  }

  /** Rotates the refresh token (on the channel it was issued on) and signs a new access token. */
  async refresh(channel: ChannelPrincipal, refreshToken: string): Promise<SignedInView> {
    const { body: session } = await this.upstreams.member.call<MemberSession>({
      method: 'POST',
      path: 'internal/sessions/refresh',
      body: { refreshToken, channel: channel.channel },
      relayStatuses: RELAY,
    });
    return this.signedIn(session);
  }

  /** Ends the session of the refresh token; access tokens already issued run out within their lifetime. */
  async logout(refreshToken: string): Promise<{ revoked: boolean }> {
    const { body } = await this.upstreams.member.call<{ revoked: boolean }>({ method: 'POST', path: 'internal/sessions/revoke', body: { refreshToken }, relayStatuses: RELAY });
    return { revoked: body.revoked };
  }

  /** A store QR login code for the signed-in member. */
  storeLoginCode(member: MemberPrincipal): { code: string; expiresAt: string } {
    return this.tokens.signStoreLogin(member.memberId);
  }

  /** The till's side: the code verified here (signature, expiry), used once in member, the member for the sale. */
  async storeLogin(store: ChannelPrincipal, code: string): Promise<unknown> {
    if (!store.locationId) throw new DomainError(DomainErrorType.Forbidden, 'STORE_KEY_REQUIRED', 'Member login by code is for store tills: use a store API key (bound to a location)');
    const login = await this.tokens.verifyStoreLogin(code);
    try {
      const { body } = await this.upstreams.member.call<unknown>({
        method: 'POST',
        path: 'internal/store-logins/redeem',
        body: { codeId: login.codeId, memberId: login.memberId, locationId: store.locationId, expiresAt: login.expiresAt.toISOString() },
      });
      return body;
    } catch (error) {
      // A signed code for a member who no longer exists is as good as no code.
      if (error instanceof HttpException && error.getStatus() === 404) {
        throw new DomainError(DomainErrorType.NotAllowed, 'STORE_LOGIN_CODE_INVALID', 'This is not a valid login code', [{ field: 'code', reason: 'names no member' }]);
      }
      throw error;
    }
  }

  private signedIn(session: MemberSession): SignedInView {
    return {
      memberId: session.memberId,
      ...this.tokens.signAccess(session.memberId, session.channel),
      refreshToken: session.refreshToken,
      refreshExpiresAt: session.refreshExpiresAt,
      ...(session.registered === undefined ? {} : { registered: session.registered }),
    };
  }
}
