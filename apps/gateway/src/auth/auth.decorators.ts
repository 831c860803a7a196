import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiHeader, ApiForbiddenResponse, ApiSecurity, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorBodyView, RETRY_AFTER_HEADER } from '../docs/error-body.view';
import type { ChannelPrincipal, MemberPrincipal, Principal, StaffPrincipal, StaffRole } from './principal';

/** Metadata key of a route's auth policy. */
export const AUTH_POLICY = 'omni:auth-policy';

/** Whether a channel route acts for a member: never (ignores member credentials), when one is named, or only for one. */
export type MemberMode = 'none' | 'optional' | 'required';

/** Who may call a route. Routes without a policy (health, metrics, docs) are public. */
export type AuthPolicy = { kind: 'channel'; member?: MemberMode } | { kind: 'staff'; roles: readonly StaffRole[] } | { kind: 'payment-provider' };

/** Name of the channel-key security scheme in the OpenAPI document. */
export const CHANNEL_KEY_SCHEME = 'channel-key';
/** Name of the member-token security scheme in the OpenAPI document. */
export const MEMBER_TOKEN_SCHEME = 'member-token';
/** Name of the staff-token security scheme in the OpenAPI document. */
export const STAFF_TOKEN_SCHEME = 'staff-token';
/** Name of the payment provider's signature scheme in the OpenAPI document. */
export const PAYMENT_SIGNATURE_SCHEME = 'payment-signature';
/** Header carrying a channel API key. */
export const API_KEY_HEADER = 'x-api-key';

const errorResponses = [
  ApiUnauthorizedResponse({ description: 'No or invalid credentials', type: ErrorBodyView }),
  ApiForbiddenResponse({ description: 'Credentials do not allow this route', type: ErrorBodyView }),
  ApiTooManyRequestsResponse({ description: 'Rate limit exceeded (RATE_LIMITED), or a service the route calls is busy (<SERVICE>_BUSY, nothing was sent to it); retry after Retry-After', type: ErrorBodyView, headers: RETRY_AFTER_HEADER }),
];

/** The route needs a channel API key; the principal's channel scopes the answer. */
export function ChannelAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(AUTH_POLICY, { kind: 'channel' } satisfies AuthPolicy), ApiSecurity(CHANNEL_KEY_SCHEME), ...errorResponses);
}

const CHANNEL_ACCOUNT_HEADER_DOC = ApiHeader({
  name: 'x-channel-account-id',
  required: false,
  description: 'Channel integrations listed in CHANNEL_ACCOUNT_KINDS only: the buyer\'s account id on the channel, instead of a member token; the gateway maps it to the member',
});

/** The route needs a channel API key and a member (a member token of the key's channel, or an integration's X-Channel-Account-Id). */
export function MemberAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_POLICY, { kind: 'channel', member: 'required' } satisfies AuthPolicy),
    ApiSecurity({ [CHANNEL_KEY_SCHEME]: [], [MEMBER_TOKEN_SCHEME]: [] }),
    CHANNEL_ACCOUNT_HEADER_DOC,
    ...errorResponses,
  );
}

/** The route needs a channel API key and acts for a member when the request names one (member token or X-Channel-Account-Id). */
export function ChannelAuthWithMember(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_POLICY, { kind: 'channel', member: 'optional' } satisfies AuthPolicy),
    ApiSecurity(CHANNEL_KEY_SCHEME),
    ApiSecurity({ [CHANNEL_KEY_SCHEME]: [], [MEMBER_TOKEN_SCHEME]: [] }),
    CHANNEL_ACCOUNT_HEADER_DOC,
    ...errorResponses,
  );
}

/** The route needs a staff token with one of `roles` (admin always passes). */
export function StaffAuth(...roles: StaffRole[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_POLICY, { kind: 'staff', roles } satisfies AuthPolicy),
    ApiBearerAuth(STAFF_TOKEN_SCHEME),
    ApiExtension('x-required-roles', roles),
    ...errorResponses,
  );
}

/**
 * The route is the payment provider's: it needs the provider's signature header (401 without a
 * well-formed one); the order service checks the signature itself against the body.
 */
export function PaymentProviderAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_POLICY, { kind: 'payment-provider' } satisfies AuthPolicy),
    ApiSecurity(PAYMENT_SIGNATURE_SCHEME),
    ApiUnauthorizedResponse({ description: 'No, malformed or forged signature', type: ErrorBodyView }),
  );
}

/** Request with the principal the auth guard attached (and the member a channel request acts for). */
export type AuthenticatedRequest = Request & { principal?: Principal; member?: MemberPrincipal };

/** The channel principal of a `@ChannelAuth()` route. */
export const CurrentChannel = createParamDecorator((_data: unknown, ctx: ExecutionContext): ChannelPrincipal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (principal?.kind !== 'channel') throw new Error('CurrentChannel used on a route without @ChannelAuth()');
  return principal;
});

/** The staff principal of a `@StaffAuth()` route. */
export const CurrentStaff = createParamDecorator((_data: unknown, ctx: ExecutionContext): StaffPrincipal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (principal?.kind !== 'staff') throw new Error('CurrentStaff used on a route without @StaffAuth()');
  return principal;
});

/** The member of a `@MemberAuth()` route (always set) or a `@ChannelAuthWithMember()` route (undefined when none was named). */
export const CurrentMember = createParamDecorator((_data: unknown, ctx: ExecutionContext): MemberPrincipal | undefined => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().member;
});
