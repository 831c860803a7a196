import { COUPON_ISSUED } from '@omni/contracts';
import { DomainError, DomainErrorType, withIdempotency } from '@omni/platform';
import { queryRows } from '@omni/sql';
import type { Clock } from '@omni/tcc';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { canIssue } from '../domain';
import type { MemberEvents } from '../shared/member-events';
import { requireActiveMember } from '../shared/member-rows';
import type { IssueCouponDto } from './coupon.dto';
import type { CouponView } from './coupon.views';

interface CouponRow {
  id: string;
  member_id: string;
  template_id: string;
  code: string;
  channels: string[];
  valid_from: Date;
  valid_to: Date;
  status: string;
  redeemed_order_id: string | null;
}

/** The coupon wallet: coupons issued from pricing's templates into a member's wallet, each usable once. */
export class CouponService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: MemberEvents,
    private readonly clock: Clock,
  ) {}

  /** Issues a coupon; with an occasion key, at most one coupon per key ever (a repeat returns the first). */
  issue(memberId: string, body: IssueCouponDto, idempotencyKey?: string): Promise<CouponView> {
    return this.dataSource.transaction((tx) => withIdempotency(tx, idempotencyKey, `coupon:issue:${memberId}`, body, () => this.issueIn(tx, memberId, body)));
  }

  /** Issue in the caller's transaction. */
  async issueIn(tx: EntityManager, memberId: string, body: IssueCouponDto): Promise<CouponView> {
    const member = await requireActiveMember(tx, memberId, false);
    const terms = { templateId: body.templateId, code: body.code, channels: body.channels ?? [], validFrom: new Date(body.validFrom), validTo: new Date(body.validTo) };
    const verdict = canIssue(terms, this.clock.now());
    if (!verdict.ok) throw new DomainError(DomainErrorType.NotAllowed, verdict.code, verdict.message, [{ field: 'validTo', reason: verdict.message }]);
    const id = uuidv7();
    const [row] = await queryRows<CouponRow>(
      tx,
      `INSERT INTO coupons (id, member_id, template_id, code, channels, valid_from, valid_to, occasion_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (occasion_key) DO NOTHING RETURNING *`,
      [id, member.id, terms.templateId, terms.code, terms.channels, terms.validFrom, terms.validTo, body.occasionKey ?? null],
    );
    if (!row) {
      const [first] = await queryRows<CouponRow>(tx, 'SELECT * FROM coupons WHERE occasion_key = $1', [body.occasionKey]);
      return view(first);
    }
    await this.events.add(tx, COUPON_ISSUED, { memberId: member.id, couponId: id, templateId: terms.templateId, channels: terms.channels, validFrom: terms.validFrom.toISOString(), validTo: terms.validTo.toISOString() });
    return view(row);
  }

  /** The member's wallet, newest first. */
  async list(memberId: string): Promise<CouponView[]> {
    const member = await requireActiveMember(this.dataSource.manager, memberId, false);
    const rows = await queryRows<CouponRow>(this.dataSource, 'SELECT * FROM coupons WHERE member_id = $1 ORDER BY issued_at DESC, id DESC LIMIT 200', [member.id]);
    return rows.map(view);
  }
}

function view(row: CouponRow): CouponView {
  return {
    couponId: row.id,
    memberId: row.member_id,
    templateId: row.template_id,
    code: row.code,
    channels: row.channels,
    validFrom: new Date(row.valid_from).toISOString(),
    validTo: new Date(row.valid_to).toISOString(),
    status: row.status,
    redeemedOrderId: row.redeemed_order_id,
  };
}
