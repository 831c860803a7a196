import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PAYMENT_SIGNATURE_HEADER } from '@omni/contracts';
import { DomainError, DomainErrorType } from '@omni/platform';
import { ApiKeyService } from '../api-keys/api-key.service';
import { forbidden, unauthenticated } from './auth.errors';
import { API_KEY_HEADER, AUTH_POLICY, type AuthenticatedRequest, type AuthPolicy, type MemberMode } from './auth.decorators';
import { hasAnyRole, type ChannelPrincipal, type StaffPrincipal, type StaffRole } from './principal';
import { CHANNEL_ACCOUNT_HEADER, MemberResolver } from './member-resolver.service';
import { StaffTokenService } from './staff-token.service';

function header(req: AuthenticatedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearer(req: AuthenticatedRequest): string | undefined {
  const value = header(req, 'authorization');
  if (value === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  if (!match) throw unauthenticated('Authorization header must be "Bearer <staff token>"');
  return match[1];
}

/**
 * Authenticates routes that declare a policy: channel routes need a valid X-Api-Key (and, on
 * member routes, a member: see MemberResolver), staff routes a valid staff token with an allowed role. 401 when credentials are missing or invalid, 403 when
 * valid credentials do not fit the route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
    private readonly staffTokens: StaffTokenService,
    private readonly members: MemberResolver,
  ) {}

  /** Attaches the principal to the request or throws. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [context.getHandler(), context.getClass()]);
    if (!policy || context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (policy.kind === 'payment-provider') {
      // The signature covers the body, so only the order service (which holds the secret) can check it; a request without one is not the provider's.
      if (!/^[0-9a-f]{64}$/i.test(header(req, PAYMENT_SIGNATURE_HEADER) ?? '')) throw unauthenticated(`This route needs the payment provider's signature in the ${PAYMENT_SIGNATURE_HEADER} header`);
      return true;
    }
    if (policy.kind === 'staff') {
      req.principal = await this.staff(req, policy.roles);
      return true;
    }
    const channel = await this.channel(req, policy.member ?? 'none');
    req.principal = channel;
    if (policy.member && policy.member !== 'none') {
      req.member = await this.members.resolve(channel, header(req, 'authorization'), header(req, CHANNEL_ACCOUNT_HEADER), policy.member === 'required');
    }
    return true;
  }

  private async channel(req: AuthenticatedRequest, member: MemberMode): Promise<ChannelPrincipal> {
    const key = header(req, API_KEY_HEADER);
    if (key === undefined) {
      if (header(req, 'authorization') !== undefined) {
        // A member token alone is not enough: member routes need the channel key too.
        const staff = member === 'none' ? await this.staffTokens.verify(bearer(req) ?? '') : await this.staffTokens.verify(bearer(req) ?? '').catch(() => undefined);
        if (!staff) throw unauthenticated('This route needs the channel API key (X-Api-Key) besides the member token');
        throw forbidden('CHANNEL_KEY_REQUIRED', 'This route serves a channel: call it with the channel API key (X-Api-Key), not a staff token');
      }
      throw unauthenticated('This route needs a channel API key in the X-Api-Key header');
    }
    const principal = await this.apiKeys.verify(key);
    if (!principal) throw unauthenticated('The API key is unknown or revoked');
    if (req.query && Object.prototype.hasOwnProperty.call(req.query, 'channel')) {
      // The key fixes the channel; a caller-chosen one is refused rather than ignored, so no client relies on it.
      throw new DomainError(DomainErrorType.InvalidInput, 'CHANNEL_FIXED_BY_KEY', 'The channel is fixed by the API key; do not send one', [
        { field: 'channel', reason: 'channel is fixed by the API key and must not be sent' },
      ]);
    }
    return principal;
  }

  private async staff(req: AuthenticatedRequest, roles: readonly StaffRole[]): Promise<StaffPrincipal> {
    const token = bearer(req);
    if (token === undefined) {
      const key = header(req, API_KEY_HEADER);
      if (key !== undefined && (await this.apiKeys.verify(key))) {
        throw forbidden('STAFF_TOKEN_REQUIRED', 'Back-office routes need a staff token; a channel API key cannot call them');
      }
      throw unauthenticated('This route needs a staff token in the Authorization header');
    }
    const principal = await this.staffTokens.verify(token);
    if (!hasAnyRole(principal.roles, roles)) {
      throw forbidden('ROLE_REQUIRED', `This route needs one of the roles: ${[...roles, 'admin'].filter((r, i, all) => all.indexOf(r) === i).join(', ')}`);
    }
    return principal;
  }
}
