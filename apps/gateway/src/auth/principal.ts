/**
 * Roles a staff token can carry; `admin` may do everything the others may. catalog-manager keeps
 * the catalogue's structure (categories, brands, display profiles, stores and their assortments);
 * inventory-manager keeps the stock network (locations, owners, channel allocations, thresholds);
 * member-support reads members' data for customer service.
 */
export const STAFF_ROLES = ['catalog-editor', 'catalog-manager', 'stock-operator', 'inventory-manager', 'pricing-manager', 'member-support', 'admin'] as const;
/** One staff role. */
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A caller authenticated by a channel API key: every answer is scoped to this channel. */
export interface ChannelPrincipal {
  readonly kind: 'channel';
  /** Id of the API key row (rate limiting, audit). */
  readonly keyId: string;
  /** The channel the key is bound to; callers never choose another. */
  readonly channel: string;
  /** The store the key is bound to (POS, shelf labels), when it is a store key. */
  readonly locationId: string | null;
  /** The key's own per-minute limit, when it has one. */
  readonly rateLimitPerMinute: number | null;
}

/** A back-office caller authenticated by a staff token. */
export interface StaffPrincipal {
  readonly kind: 'staff';
  /** Staff member id (token subject). */
  readonly staffId: string;
  readonly roles: readonly StaffRole[];
}

/** The member a channel request acts for: named by a member token, or by a channel account id under the channel's key. */
export interface MemberPrincipal {
  readonly kind: 'member';
  readonly memberId: string;
  /** The channel the member token was issued on (always the key's channel). */
  readonly channel: string;
  readonly via: 'token' | 'channel-account';
}

/** Whoever the request was authenticated as. */
export type Principal = ChannelPrincipal | StaffPrincipal;

/** The key under which a principal is rate limited. */
export function rateLimitSubject(principal: Principal): string {
  return principal.kind === 'channel' ? `key:${principal.keyId}` : `staff:${principal.staffId}`;
}

/** Whether a staff member holding `held` may use a route open to `allowed`. */
export function hasAnyRole(held: readonly StaffRole[], allowed: readonly StaffRole[]): boolean {
  return held.includes('admin') || held.some((role) => allowed.includes(role));
}
