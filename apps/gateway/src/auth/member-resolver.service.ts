import { HttpException, Inject, Injectable } from '@nestjs/common';
import { DomainError, DomainErrorType, SERVICE_CONFIG } from '@omni/platform';
import { channelAccountKinds, type GatewayEnv } from '../config/gateway.config';
import { Upstreams } from '../upstream/upstreams';
import { forbidden, unauthenticated } from './auth.errors';
import type { ChannelPrincipal, MemberPrincipal } from './principal';
import { MemberTokenService } from './member-token.service';

/** Header a channel integration names its buyer by (its channel account id), under its channel key. */
export const CHANNEL_ACCOUNT_HEADER = 'x-channel-account-id';

const ACCOUNT_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Finds the member a channel request acts for: a member token (Authorization: Bearer, issued on
 * the key's channel), or, for the channel integrations CHANNEL_ACCOUNT_KINDS names, a channel
 * account id (X-Channel-Account-Id) that member maps to its member. Never from a request body.
 */
@Injectable()
export class MemberResolver {
  private readonly accountKinds: ReadonlyMap<string, string>;

  constructor(
    private readonly tokens: MemberTokenService,
    private readonly upstreams: Upstreams,
    @Inject(SERVICE_CONFIG) env: GatewayEnv,
  ) {
    this.accountKinds = channelAccountKinds(env);
  }

  /** The member, undefined when the request names none (401 when `required`). */
  async resolve(channel: ChannelPrincipal, authorization: string | undefined, accountId: string | undefined, required: boolean): Promise<MemberPrincipal | undefined> {
    if (authorization !== undefined && accountId !== undefined) {
      throw new DomainError(DomainErrorType.InvalidInput, 'MEMBER_NAMED_TWICE', 'Name the member by a member token or by X-Channel-Account-Id, not both', [
        { field: CHANNEL_ACCOUNT_HEADER, reason: 'must not be sent with a member token' },
      ]);
    }
    if (authorization !== undefined) return this.fromToken(channel, authorization);
    if (accountId !== undefined) return this.fromAccount(channel, accountId);
    if (required) throw unauthenticated('This route needs a member token (Authorization: Bearer <member token>) or, for a channel integration, X-Channel-Account-Id');
    return undefined;
  }

  private async fromToken(channel: ChannelPrincipal, authorization: string): Promise<MemberPrincipal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('Authorization header must be "Bearer <member token>"');
    const member = await this.tokens.verifyAccess(match[1]);
    if (member.channel !== channel.channel) throw forbidden('MEMBER_TOKEN_OF_OTHER_CHANNEL', 'This member token was issued on another channel');
    return member;
  }

  private async fromAccount(channel: ChannelPrincipal, accountId: string): Promise<MemberPrincipal> {
    const kind = this.accountKinds.get(channel.channel);
    if (!kind || channel.locationId) {
      throw forbidden('CHANNEL_ACCOUNT_NOT_ALLOWED', 'This channel key may not name members by channel account id; sign the member in instead');
    }
    if (!ACCOUNT_ID.test(accountId)) {
      throw new DomainError(DomainErrorType.InvalidInput, 'VALIDATION_FAILED', 'Request validation failed: X-Channel-Account-Id', [
        { field: CHANNEL_ACCOUNT_HEADER, reason: 'must be 1-128 printable characters' },
      ]);
    }
    try {
      const { body } = await this.upstreams.member.call<{ memberId: string }>({ method: 'POST', path: 'internal/members/lookup', body: { account: { kind, accountId } } });
      return { kind: 'member', memberId: body.memberId, channel: channel.channel, via: 'channel-account' };
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 404) {
        throw new DomainError(DomainErrorType.NotFound, 'MEMBER_NOT_FOUND', 'No member has this channel account', [{ field: CHANNEL_ACCOUNT_HEADER, reason: 'names no member' }]);
      }
      throw error;
    }
  }
}
