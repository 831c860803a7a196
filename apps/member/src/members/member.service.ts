import { DomainError, DomainErrorType, ValidationFailedError, withIdempotency } from '@omni/platform';
import { queryRows } from '@omni/sql';
import { MEMBER_REGISTERED, MEMBERS_MERGED, POINTS_CHANGED, TIER_CHANGED } from '@omni/contracts';
import type { Clock } from '@omni/tcc';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { AccountKind, benefitsOf, maskPhone, normalizePhone, PersonalDataHasher, planMerge } from '../domain';
import type { MemberEvents } from '../shared/member-events';
import { activeMember, MemberRow, memberNotFound, requireActiveMember } from '../shared/member-rows';
import type { MemberSettings } from '../shared/member.settings';
import type { ChannelAccountDto, LookupMemberDto, RegisterMemberDto } from './member.dto';
import type { MemberIdentityView, MemberView } from './member.views';

/**
 * One identity across channels: registration, linked accounts, lookups by keyed hash, and the merge
 * of two members found to be one person (nothing they hold is lost). Phone numbers and names are
 * written to member_personal_data only and never to a log line or an event.
 */
export class MemberService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PersonalDataHasher,
    private readonly events: MemberEvents,
    private readonly clock: Clock,
    private readonly settings: MemberSettings,
  ) {}

  /**
   * Registers a member, or, when the phone is already a member's (a buyer known from a store till),
   * links the account to that member, who keeps their history.
   */
  register(body: RegisterMemberDto, idempotencyKey?: string): Promise<MemberIdentityView> {
    const phone = body.phone === undefined ? undefined : this.phoneOf(body.phone, 'phone');
    const accountHash = this.accountHash(body.account);
    return this.dataSource.transaction((tx) =>
      withIdempotency(tx, idempotencyKey, 'member:register', body, async () => {
        const linked = await this.accountOwner(tx, body.account.kind, accountHash);
        if (linked) throw new DomainError(DomainErrorType.Conflict, 'ACCOUNT_ALREADY_LINKED', 'this channel account already belongs to a member', [{ field: 'account.accountId', reason: 'already linked to a member' }]);
        const known = phone ? await this.memberByPhone(tx, phone) : undefined;
        if (known) {
          await this.insertAccount(tx, body.account.kind, accountHash, known.id);
          if (body.name && !(await this.hasName(tx, known.id))) await tx.query('UPDATE member_personal_data SET name = $2 WHERE member_id = $1', [known.id, body.name]);
          if (body.birthDate) await tx.query('UPDATE member_personal_data SET birth_date = COALESCE(birth_date, $2::date) WHERE member_id = $1', [known.id, body.birthDate]);
          return { memberId: known.id, existing: true };
        }
        const memberId = await this.insertMember(tx, phone, body.name, body.birthDate);
        await this.insertAccount(tx, body.account.kind, accountHash, memberId);
        if (phone && body.account.kind !== 'store-phone') await this.insertAccount(tx, 'store-phone', this.hasher.account('store-phone', phone), memberId);
        await this.events.add(tx, MEMBER_REGISTERED, { memberId, channel: body.channel, accountKind: body.account.kind, registeredAt: this.clock.now().toISOString() });
        return { memberId, existing: false };
      }),
    );
  }

  /**
   * The member a phone verified by a sign-in code names, in the caller's transaction. A phone no
   * member has registers one; a buyer known from a store till by this phone is that member, so
   * their store history (orders, points) is theirs from the first sign-in.
   */
  async memberForVerifiedPhone(tx: EntityManager, phone: string, channel: string): Promise<{ memberId: string; registered: boolean }> {
    const known = await this.memberByPhone(tx, phone);
    if (known) return { memberId: known.id, registered: false };
    const memberId = await this.insertMember(tx, phone, undefined, undefined);
    await this.events.add(tx, MEMBER_REGISTERED, { memberId, channel, accountKind: 'phone', registeredAt: this.clock.now().toISOString() });
    return { memberId, registered: true };
  }

  /** The member a phone or a channel account names (404 when none). */
  async lookup(body: LookupMemberDto): Promise<{ memberId: string }> {
    if ((body.phone === undefined) === (body.account === undefined)) {
      throw new ValidationFailedError([{ field: 'phone', reason: 'exactly one of phone or account is required' }]);
    }
    return this.dataSource.transaction(async (tx) => {
      const found = body.phone !== undefined
        ? await this.memberByPhone(tx, this.phoneOf(body.phone, 'phone'))
        : await this.accountOwner(tx, body.account!.kind, this.accountHash(body.account!));
      if (!found) throw new DomainError(DomainErrorType.NotFound, 'MEMBER_NOT_FOUND', 'no member with this phone or account');
      return { memberId: found.id };
    });
  }

  /** A member's profile, tier, points and linked accounts (the phone masked). */
  async profile(memberId: string): Promise<MemberView> {
    const member = await requireActiveMember(this.dataSource.manager, memberId, false);
    const [pii] = await queryRows<{ phone: string | null; name: string | null }>(this.dataSource, 'SELECT phone, name FROM member_personal_data WHERE member_id = $1', [member.id]);
    const accounts = await queryRows<{ kind: string; linked_at: Date }>(this.dataSource, 'SELECT kind, linked_at FROM member_accounts WHERE member_id = $1 ORDER BY linked_at, kind', [member.id]);
    return {
      memberId: member.id,
      ...(member.id !== memberId ? { mergedFrom: memberId } : {}),
      registeredAt: new Date(member.registered_at).toISOString(),
      tier: member.tier,
      tierPeriodEnd: new Date(member.tier_period_end).toISOString(),
      benefits: benefitsOf(this.settings.tiers, member.tier),
      phone: pii?.phone ? maskPhone(pii.phone) : null,
      name: pii?.name ?? null,
      points: { balance: member.points_balance, frozen: member.points_frozen, available: member.points_balance - member.points_frozen },
      accounts: accounts.map((a) => ({ kind: a.kind, linkedAt: new Date(a.linked_at).toISOString() })),
    };
  }

  /** Links a channel account to the member; an account that is another member's merges the two. */
  linkAccount(memberId: string, account: ChannelAccountDto, idempotencyKey?: string): Promise<MemberIdentityView> {
    const hash = this.accountHash(account);
    return this.dataSource.transaction((tx) =>
      withIdempotency(tx, idempotencyKey, `member:link:${memberId}`, account, async () => {
        const member = await requireActiveMember(tx, memberId, false);
        const owner = await this.accountOwner(tx, account.kind, hash);
        if (owner?.id === member.id) return { memberId: member.id, existing: true };
        if (!owner) {
          await this.insertAccount(tx, account.kind, hash, member.id);
          return { memberId: member.id, existing: true };
        }
        return this.mergeIn(tx, member.id, owner.id);
      }),
    );
  }

  /** Merges two members found to be one person. */
  merge(memberId: string, otherMemberId: string, idempotencyKey?: string): Promise<MemberIdentityView> {
    return this.dataSource.transaction((tx) =>
      withIdempotency(tx, idempotencyKey, `member:merge:${memberId}`, { otherMemberId }, async () => {
        const [a, b] = [await activeMember(tx, memberId, false), await activeMember(tx, otherMemberId, false)];
        if (!a) throw memberNotFound(memberId);
        if (!b) throw new DomainError(DomainErrorType.NotFound, 'MEMBER_NOT_FOUND', `no member ${otherMemberId}`, [{ field: 'otherMemberId', reason: 'names no member' }]);
        if (a.id === b.id) return { memberId: a.id, existing: true };
        return this.mergeIn(tx, a.id, b.id);
      }),
    );
  }

  /**
   * The merge itself, in the caller's transaction: both rows locked in id order (so two merges of
   * the same pair cannot deadlock), then every point, batch, frozen amount, coupon, gift card,
   * order reference and account moves to the survivor, with a ledger entry on each side.
   */
  private async mergeIn(tx: EntityManager, firstId: string, secondId: string): Promise<MemberIdentityView> {
    const [lowId, highId] = firstId < secondId ? [firstId, secondId] : [secondId, firstId];
    const low = await requireActiveMember(tx, lowId, true);
    const high = await requireActiveMember(tx, highId, true);
    const plan = planMerge(standing(low), standing(high), this.settings.tiers.map((t) => t.code));
    const [survivor, absorbed] = plan.survivorId === low.id ? [low, high] : [high, low];
    const moved = async (sql: string) => (await queryRows(tx, `WITH moved AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM moved`, [absorbed.id, survivor.id]))[0].n as number;
    await moved('UPDATE points_batches SET member_id = $2 WHERE member_id = $1');
    const couponsMoved = await moved('UPDATE coupons SET member_id = $2 WHERE member_id = $1');
    const giftCardsMoved = await moved('UPDATE gift_cards SET member_id = $2 WHERE member_id = $1');
    const ordersMoved = await moved('UPDATE member_orders SET member_id = $2 WHERE member_id = $1');
    const accountsMoved = await moved('UPDATE member_accounts SET member_id = $2 WHERE member_id = $1');
    const points = absorbed.points_balance;
    await tx.query(`UPDATE members SET status = 'merged', merged_into = $2, points_balance = 0, points_frozen = 0 WHERE id = $1`, [absorbed.id, survivor.id]);
    const tierMoved = plan.tier !== survivor.tier;
    const [after] = await queryRows<{ points_balance: number; tier_version: number }>(
      tx,
      `UPDATE members SET points_balance = points_balance + $2, points_frozen = points_frozen + $3, tier = $4, tier_period_end = $5, tier_version = tier_version + $6
        WHERE id = $1 RETURNING points_balance, tier_version`,
      [survivor.id, points, absorbed.points_frozen, plan.tier, plan.tierPeriodEnd, tierMoved ? 1 : 0],
    );
    if (tierMoved) {
      const rank = (code: string) => this.settings.tiers.findIndex((t) => t.code === code);
      await this.events.add(tx, TIER_CHANGED, {
        memberId: survivor.id,
        fromTier: survivor.tier,
        toTier: plan.tier,
        change: rank(plan.tier) > rank(survivor.tier) ? 'upgrade' : 'downgrade',
        periodEnd: new Date(plan.tierPeriodEnd).toISOString(),
        tierVersion: after.tier_version,
      });
    }
    if (points > 0) {
      await tx.query(`INSERT INTO points_ledger (member_id, kind, delta, ref) VALUES ($1, 'merge-out', $2, $3), ($4, 'merge-in', $5, $6)`, [absorbed.id, -points, survivor.id, survivor.id, points, absorbed.id]);
      await this.events.add(tx, POINTS_CHANGED, { memberId: survivor.id, kind: 'merge-in', delta: points, balance: after.points_balance, ref: absorbed.id });
    }
    // The survivor keeps its own personal data and takes the absorbed member's name only where it has none; the
    // absorbed phone still finds the survivor through merged_into.
    await tx.query(
      `UPDATE member_personal_data s SET name = COALESCE(s.name, a.name) FROM member_personal_data a WHERE s.member_id = $2 AND a.member_id = $1`,
      [absorbed.id, survivor.id],
    );
    await this.events.add(tx, MEMBERS_MERGED, { survivorId: survivor.id, absorbedId: absorbed.id, pointsMoved: points, couponsMoved, giftCardsMoved, ordersMoved, accountsMoved });
    return { memberId: survivor.id, existing: true, mergedFrom: absorbed.id };
  }

  private async insertMember(tx: EntityManager, phone: string | undefined, name: string | undefined, birthDate: string | undefined): Promise<string> {
    const memberId = uuidv7();
    const now = this.clock.now();
    await tx.query(`INSERT INTO members (id, tier, tier_period_end, registered_at) VALUES ($1, $2, $3, $4)`, [
      memberId,
      this.settings.tiers[0].code,
      new Date(now.getTime() + this.settings.tierPeriodMs),
      now,
    ]);
    await tx.query('INSERT INTO member_personal_data (member_id, phone_hash, phone, name, birth_date) VALUES ($1, $2, $3, $4, $5::date)', [
      memberId,
      phone ? this.hasher.phone(phone) : null,
      phone ?? null,
      name ?? null,
      birthDate ?? null,
    ]);
    return memberId;
  }

  private async insertAccount(tx: EntityManager, kind: AccountKind, hash: string, memberId: string): Promise<void> {
    await tx.query('INSERT INTO member_accounts (kind, account_hash, member_id) VALUES ($1, $2, $3) ON CONFLICT (kind, account_hash) DO NOTHING', [kind, hash, memberId]);
  }

  private async accountOwner(tx: EntityManager, kind: string, hash: string): Promise<MemberRow | undefined> {
    const [row] = await queryRows<{ member_id: string }>(tx, 'SELECT member_id FROM member_accounts WHERE kind = $1 AND account_hash = $2', [kind, hash]);
    return row ? activeMember(tx, row.member_id, false) : undefined;
  }

  private async memberByPhone(tx: EntityManager, phone: string): Promise<MemberRow | undefined> {
    const [row] = await queryRows<{ member_id: string }>(tx, 'SELECT member_id FROM member_personal_data WHERE phone_hash = $1', [this.hasher.phone(phone)]);
    return row ? activeMember(tx, row.member_id, false) : this.accountOwner(tx, 'store-phone', this.hasher.account('store-phone', phone));
  }

  private async hasName(tx: EntityManager, memberId: string): Promise<boolean> {
    const [row] = await queryRows<{ name: string | null }>(tx, 'SELECT name FROM member_personal_data WHERE member_id = $1', [memberId]);
    return !!row?.name;
  }

  /** A store-phone account is keyed by the normalized phone, so "138 0013 8000" and "13800138000" are one account. */
  private accountHash(account: ChannelAccountDto): string {
    const id = account.kind === 'store-phone' ? this.phoneOf(account.accountId, 'account.accountId') : account.accountId;
    return this.hasher.account(account.kind, id);
  }

  private phoneOf(raw: string, field: string): string {
    const phone = normalizePhone(raw);
    if (!phone) throw new ValidationFailedError([{ field, reason: 'must be a phone number (6-20 digits, optional +)' }]);
    return phone;
  }
}

function standing(row: MemberRow) {
  return { id: row.id, registeredAt: new Date(row.registered_at), tier: row.tier, tierPeriodEnd: new Date(row.tier_period_end), status: row.status };
}
