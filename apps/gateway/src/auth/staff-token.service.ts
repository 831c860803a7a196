import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { SERVICE_CONFIG } from '@omni/platform';
import type { GatewayEnv } from '../config/gateway.config';
import { unauthenticated } from './auth.errors';
import { STAFF_ROLES, type StaffPrincipal, type StaffRole } from './principal';

/** Claims of a staff token besides the registered ones. */
interface StaffClaims {
  sub?: unknown;
  roles?: unknown;
}

/** Longest token accepted; real ones are a few hundred bytes. */
const MAX_TOKEN_LENGTH = 4096;

/** Verifies staff tokens (HS256 JWT with `sub` and `roles`) and, for tools and tests, signs them. */
@Injectable()
export class StaffTokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(SERVICE_CONFIG) private readonly env: GatewayEnv,
  ) {}

  /** The staff member a bearer token stands for; 401 when it is malformed, expired, forged or has no roles. */
  async verify(token: string): Promise<StaffPrincipal> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw unauthenticated('Staff token is malformed');
    let claims: StaffClaims;
    try {
      claims = await this.jwt.verifyAsync<StaffClaims & object>(token, {
        secret: this.env.STAFF_JWT_SECRET,
        algorithms: ['HS256'],
        issuer: this.env.STAFF_JWT_ISSUER,
      });
    } catch (error) {
      const expired = (error as { name?: string }).name === 'TokenExpiredError';
      throw unauthenticated(expired ? 'Staff token has expired' : 'Staff token is invalid');
    }
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is StaffRole => STAFF_ROLES.includes(r as StaffRole)) : [];
    if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.sub.length > 200) {
      throw unauthenticated('Staff token has no subject');
    }
    return { kind: 'staff', staffId: claims.sub, roles };
  }

  /** Signs a token for `staffId` with `roles`, valid for `ttlSeconds` (dev tooling and tests). */
  sign(staffId: string, roles: readonly StaffRole[], ttlSeconds = 3600): string {
    return this.jwt.sign(
      { roles: [...roles] },
      { secret: this.env.STAFF_JWT_SECRET, algorithm: 'HS256', issuer: this.env.STAFF_JWT_ISSUER, subject: staffId, expiresIn: ttlSeconds },
    );
  }
}
