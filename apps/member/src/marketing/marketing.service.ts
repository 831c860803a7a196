import { COUPON_ISSUED } from '@omni/contracts';
import { queryRows } from '@omni/sql';
import type { Clock } from '@omni/tcc';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { birthdayOccasion, couponWindow, MarketingOccasion, memberDayOccasion, memberOccasionKey } from '../domain';
import type { MemberEvents } from '../shared/member-events';
import type { CouponTemplateSource } from './coupon-template.source';

/** What scheduled marketing issues, from configuration. */
export interface MarketingSettings {
  readonly memberDayTemplateId: string;
  readonly birthdayTemplateId: string;
  readonly dayOfMonth: number;
  readonly utcOffsetMinutes: number;
  /** Members per transaction. */
  readonly batchSize: number;
}

/** One occasion's issuance in a run. */
export interface OccasionRunView {
  occasion: string;
  templateId: string;
  /** Coupons this run issued (members who already had theirs are not counted). */
  issued: number;
  /** Why nothing was tried: the template is missing or disabled, or does not cover the occasion. */
  skipped?: string;
}

/**
 * Member-day and birthday coupons, issued from pricing's templates into every eligible member's
 * wallet. Exactly one coupon per member and occasion, however often or on however many replicas
 * this runs: the wallet's occasion key is unique, the insert skips members who already hold theirs,
 * and coupon-issued is queued only for the rows this run inserted. Birth dates are read here, in
 * member, and go nowhere else: not into the coupon, the event or a log line.
 */
export class MarketingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: CouponTemplateSource,
    private readonly events: MemberEvents,
    private readonly clock: Clock,
    private readonly settings: MarketingSettings,
  ) {}

  /** Issues whatever occasion `now` falls in (member day on its day; the birthday month for members born in it). */
  async run(now: Date = this.clock.now()): Promise<OccasionRunView[]> {
    const runs: OccasionRunView[] = [];
    const { memberDayTemplateId, birthdayTemplateId, dayOfMonth, utcOffsetMinutes } = this.settings;
    const memberDay = memberDayTemplateId ? memberDayOccasion(now, dayOfMonth, utcOffsetMinutes) : null;
    if (memberDay) runs.push(await this.issue(memberDay, memberDayTemplateId, null, now));
    if (birthdayTemplateId) {
      const birthday = birthdayOccasion(now, utcOffsetMinutes);
      runs.push(await this.issue(birthday, birthdayTemplateId, birthday.month, now));
    }
    return runs;
  }

  private async issue(occasion: MarketingOccasion, templateId: string, birthMonth: number | null, now: Date): Promise<OccasionRunView> {
    const base = { occasion: occasion.key, templateId, issued: 0 };
    const template = await this.templates.terms(templateId);
    if (!template) return { ...base, skipped: 'TEMPLATE_NOT_AVAILABLE' };
    const window = couponWindow(occasion, template, now);
    if (!window) return { ...base, skipped: 'TEMPLATE_NOT_VALID_FOR_OCCASION' };
    let cursor = '';
    let issued = 0;
    for (;;) {
      const members = (
        await queryRows<{ id: string }>(
          this.dataSource,
          `SELECT m.id FROM members m
            ${birthMonth === null ? '' : 'JOIN member_personal_data p ON p.member_id = m.id AND EXTRACT(MONTH FROM p.birth_date) = $3'}
            WHERE m.status = 'active' AND m.id > $1 ORDER BY m.id LIMIT $2`,
          birthMonth === null ? [cursor, this.settings.batchSize] : [cursor, this.settings.batchSize, birthMonth],
        )
      ).map((row) => row.id);
      if (members.length === 0) break;
      cursor = members[members.length - 1];
      issued += await this.dataSource.transaction(async (tx) => {
        // Rows in member-id order on every replica: two runs wait on each other's keys instead of deadlocking.
        const inserted = await queryRows<{ id: string; member_id: string }>(
          tx,
          `INSERT INTO coupons (id, member_id, template_id, code, channels, valid_from, valid_to, occasion_key)
           SELECT t.id, t.member_id, $3, $4, $5, $6, $7, t.occasion_key FROM unnest($1::text[], $2::text[], $8::text[]) AS t(id, member_id, occasion_key)
           ON CONFLICT (occasion_key) DO NOTHING RETURNING id, member_id`,
          [members.map(() => uuidv7()), members, template.templateId, template.code, template.channels, window.validFrom, window.validTo, members.map((id) => memberOccasionKey(occasion, id))],
        );
        for (const row of inserted) {
          await this.events.add(tx, COUPON_ISSUED, {
            memberId: row.member_id,
            couponId: row.id,
            templateId: template.templateId,
            channels: template.channels,
            validFrom: window.validFrom.toISOString(),
            validTo: window.validTo.toISOString(),
          });
        }
        return inserted.length;
      });
    }
    return { ...base, issued };
  }
}
