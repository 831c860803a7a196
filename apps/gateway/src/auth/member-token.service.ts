import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError, DomainErrorType, SERVICE_CONFIG } from '@omni/platform';
import type { GatewayEnv } from '../config/gateway.config';
import { unauthenticated } from './auth.errors';
import type { MemberPrincipal } from './principal';

/** Audience of member access tokens. */
const ACCESS_AUDIENCE = 'member-access';
/** Audience of store QR login codes: a code is never an access token, nor the reverse. */
const STORE_LOGIN_AUDIENCE = 'store-login';
/** Longest token or code accepted. */
const MAX_TOKEN_LENGTH = 4096;
/** Member ids are UUIDs; channel codes as the contracts define them. */
const MEMBER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface MemberClaims {
  sub?: unknown;
  ch?: unknown;
  jti?: unknown;
  exp?: unknown;
}

/** An access token as answered to a frontend. */
export interface MemberAccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** A verified store QR login code: whose, which code (used once), and until when. */
export interface StoreLoginCode {
  memberId: string;
  codeId: string;
  expiresAt: Date;
}

/**
 * Member access tokens (HS256 JWT: member id, channel; 15 minutes by default) and store QR login
 * codes (HS256 JWT with its own audience and a unique id; 60 s by default), signed and verified
 * here with MEMBER_JWT_SECRET, so every gateway replica checks them without a call.
 */
@Injectable()
export class MemberTokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(SERVICE_CONFIG) private readonly env: GatewayEnv,
  ) {}

  /** An access token for `memberId` on `channel`. */
  signAccess(memberId: string, channel: string, ttlSeconds = this.env.MEMBER_ACCESS_TTL_SECONDS): MemberAccessToken {
    const accessToken = this.jwt.sign({ ch: channel }, { ...this.signing(ACCESS_AUDIENCE), subject: memberId, expiresIn: ttlSeconds });
    return { accessToken, tokenType: 'Bearer', expiresIn: ttlSeconds };
  }

  /** The member an access token stands for; 401 when it is malformed, expired, forged or of another audience. */
  async verifyAccess(token: string): Promise<MemberPrincipal> {
    const claims = await this.verify(token, ACCESS_AUDIENCE, 'Member token');
    if (typeof claims.ch !== 'string' || claims.ch.length === 0) throw unauthenticated('Member token has no channel');
    return { kind: 'member', memberId: claims.sub as string, channel: claims.ch, via: 'token' };
  }

  /** A store QR login code for `memberId` (shown by the app, posted once by a till). */
  signStoreLogin(memberId: string, ttlSeconds = this.env.STORE_LOGIN_CODE_TTL_SECONDS): { code: string; expiresAt: string } {
    const code = this.jwt.sign({}, { ...this.signing(STORE_LOGIN_AUDIENCE), subject: memberId, jwtid: randomBytes(16).toString('base64url'), expiresIn: ttlSeconds });
    return { code, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() };
  }

  /** The member and id of a store login code; 422 STORE_LOGIN_CODE_INVALID (or _EXPIRED) when it is not one this gateway signed and still valid. */
  async verifyStoreLogin(code: string): Promise<StoreLoginCode> {
    let claims: MemberClaims;
    try {
      claims = await this.verify(code, STORE_LOGIN_AUDIENCE, 'Store login code');
    } catch (error) {
      const expired = error instanceof DomainError && error.message.endsWith('has expired');
      throw new DomainError(DomainErrorType.NotAllowed, expired ? 'STORE_LOGIN_CODE_EXPIRED' : 'STORE_LOGIN_CODE_INVALID', expired ? 'The login code has expired; show a new one' : 'This is not a valid login code', [
        { field: 'code', reason: expired ? 'expired' : 'not a login code signed by us' },
      ]);
    }
    if (typeof claims.jti !== 'string' || typeof claims.exp !== 'number') {
      throw new DomainError(DomainErrorType.NotAllowed, 'STORE_LOGIN_CODE_INVALID', 'This is not a valid login code', [{ field: 'code', reason: 'not a login code signed by us' }]);
    }
    return { memberId: claims.sub as string, codeId: claims.jti, expiresAt: new Date(claims.exp * 1000) };
  }

  private signing(audience: string) {
    return { secret: this.env.MEMBER_JWT_SECRET, algorithm: 'HS256' as const, issuer: this.env.MEMBER_JWT_ISSUER, audience };
  }

  private async verify(token: string, audience: string, what: string): Promise<MemberClaims> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw unauthenticated(`${what} is malformed`);
    let claims: MemberClaims;
    try {
      claims = await this.jwt.verifyAsync<MemberClaims & object>(token, { secret: this.env.MEMBER_JWT_SECRET, algorithms: ['HS256'], issuer: this.env.MEMBER_JWT_ISSUER, audience });
    } catch (error) {
      const expired = (error as { name?: string }).name === 'TokenExpiredError';
      throw unauthenticated(expired ? `${what} has expired` : `${what} is invalid`);
    }
    if (typeof claims.sub !== 'string' || !MEMBER_ID.test(claims.sub)) throw unauthenticated(`${what} has no member`);
    return claims;
  }
}
