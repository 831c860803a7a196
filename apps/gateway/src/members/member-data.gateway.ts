import { Injectable } from '@nestjs/common';
import { segment } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';

/** Member's profile answer (GET /internal/members/:id), the parts the gateway reshapes. */
interface MemberProfile {
  memberId: string;
  tier: string;
  tierPeriodEnd: string;
  benefits: unknown;
  points: { balance: number; frozen: number; available: number };
}

/**
 * A member's own data from member's and order's internal APIs, for one member id only: the
 * caller (a member token, a channel account, or a staff route) decided whose it is.
 */
@Injectable()
export class MemberDataGateway {
  constructor(private readonly upstreams: Upstreams) {}

  /** Profile: tier, benefits, points balance, linked account kinds, phone masked. */
  async profile(memberId: string): Promise<unknown> {
    return (await this.upstreams.member.call<unknown>({ method: 'GET', path: `internal/members/${segment(memberId)}` })).body;
  }

  /** The tier, until when it holds, and what it gives. */
  async tier(memberId: string): Promise<{ memberId: string; tier: string; tierPeriodEnd: string; benefits: unknown }> {
    const { body } = await this.upstreams.member.call<MemberProfile>({ method: 'GET', path: `internal/members/${segment(memberId)}` });
    return { memberId: body.memberId, tier: body.tier, tierPeriodEnd: body.tierPeriodEnd, benefits: body.benefits };
  }

  /** Points balance and one page of the history, newest first. */
  async points(memberId: string, limit: number, before?: number): Promise<unknown> {
    const [{ body: profile }, { body: history }] = await Promise.all([
      this.upstreams.member.call<MemberProfile>({ method: 'GET', path: `internal/members/${segment(memberId)}` }),
      this.upstreams.member.call<{ items: unknown[]; nextBefore: number | null }>({ method: 'GET', path: `internal/members/${segment(memberId)}/points/history`, query: { limit, before } }),
    ]);
    return { memberId: profile.memberId, ...profile.points, history: history.items, nextBefore: history.nextBefore };
  }

  /** The coupon wallet. */
  async coupons(memberId: string): Promise<unknown> {
    return (await this.upstreams.member.call<unknown>({ method: 'GET', path: `internal/members/${segment(memberId)}/coupons` })).body;
  }

  /** Gift cards: balances only (member keeps no card code or PIN in clear, so none is ever shown). */
  async giftCards(memberId: string): Promise<unknown> {
    return (await this.upstreams.member.call<unknown>({ method: 'GET', path: `internal/members/${segment(memberId)}/gift-cards` })).body;
  }

  /** One page of the member's orders on every channel, newest first. */
  async orders(memberId: string, limit: number, before?: string): Promise<unknown> {
    // The member's current id (after a merge, the survivor's) is the one orders are listed by.
    const { body: profile } = await this.upstreams.member.call<MemberProfile>({ method: 'GET', path: `internal/members/${segment(memberId)}` });
    return (await this.upstreams.order.call<unknown>({ method: 'GET', path: 'orders', query: { memberId: profile.memberId, limit, before } })).body;
  }
}
