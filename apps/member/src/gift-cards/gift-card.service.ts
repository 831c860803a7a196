import { GIFT_CARD_CHANGED } from '@omni/contracts';
import { DomainError, DomainErrorType, withIdempotency } from '@omni/platform';
import { queryRows } from '@omni/sql';
import { timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { canRefund, newGiftCardSecrets, PersonalDataHasher } from '../domain';
import type { MemberEvents } from '../shared/member-events';
import { requireActiveMember } from '../shared/member-rows';
import type { ClaimGiftCardDto, GiftCardSecretDto, IssueGiftCardDto, RefundGiftCardDto } from './gift-card.dto';
import type { GiftCardView, IssuedGiftCardView } from './gift-card.views';

interface GiftCardRow {
  id: string;
  member_id: string | null;
  pin_hash: string;
  currency: string;
  balance: number;
  frozen: number;
  status: string;
}

/** Gift cards: issued with a balance, code and PIN stored hashed, partially spendable (through the saga), refunded to the card. */
export class GiftCardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PersonalDataHasher,
    private readonly events: MemberEvents,
  ) {}

  /** Issues a card; its code and PIN are in this answer only (the card keeps their hashes). */
  issue(body: IssueGiftCardDto, idempotencyKey?: string): Promise<IssuedGiftCardView> {
    return this.dataSource.transaction(async (tx) => {
      let secrets: { code: string; pin: string } | undefined;
      const card = await withIdempotency(tx, idempotencyKey, 'gift-card:issue', body, async (): Promise<GiftCardView> => {
        const memberId = body.memberId ? (await requireActiveMember(tx, body.memberId, false)).id : null;
        const id = uuidv7();
        secrets = newGiftCardSecrets();
        await tx.query('INSERT INTO gift_cards (id, member_id, code_hash, pin_hash, currency, balance) VALUES ($1, $2, $3, $4, $5, $6)', [
          id,
          memberId,
          this.hasher.giftCardCode(secrets.code),
          this.hasher.giftCardPin(id, secrets.pin),
          body.currency,
          body.amount,
        ]);
        await tx.query(`INSERT INTO gift_card_ledger (gift_card_id, kind, delta, ref) VALUES ($1, 'issue', $2, $1)`, [id, body.amount]);
        await this.events.add(tx, GIFT_CARD_CHANGED, { giftCardId: id, kind: 'issue', delta: body.amount, balance: body.amount, currency: body.currency, ref: id });
        return { giftCardId: id, memberId, currency: body.currency, balance: body.amount, frozen: 0, available: body.amount, status: 'active' };
      });
      // The secrets are not stored, so a replay answers with the card but without them.
      return secrets ? { ...card, ...secrets } : card;
    });
  }

  /** The card a code and PIN name (404 for either wrong, so a guess learns nothing). */
  async check(body: GiftCardSecretDto): Promise<GiftCardView> {
    return view(await this.bySecret(this.dataSource.manager, body));
  }

  /** Adds a card its holder can name (code and PIN) to the member's wallet. */
  claim(memberId: string, body: ClaimGiftCardDto, idempotencyKey?: string): Promise<GiftCardView> {
    return this.dataSource.transaction((tx) =>
      withIdempotency(tx, idempotencyKey, `gift-card:claim:${memberId}`, { code: this.hasher.giftCardCode(body.code) }, async () => {
        const member = await requireActiveMember(tx, memberId, false);
        const card = await this.bySecret(tx, body);
        if (card.member_id !== null && card.member_id !== member.id) {
          throw new DomainError(DomainErrorType.Conflict, 'GIFT_CARD_ALREADY_CLAIMED', 'the gift card is in another member’s wallet', [{ field: 'code', reason: 'already claimed' }]);
        }
        const [row] = await queryRows<GiftCardRow>(tx, 'UPDATE gift_cards SET member_id = $2 WHERE id = $1 RETURNING *', [card.id, member.id]);
        return view(row);
      }),
    );
  }

  /** Refunds part of what an order spent from the card back to it. */
  refund(giftCardId: string, body: RefundGiftCardDto, idempotencyKey?: string): Promise<GiftCardView> {
    return this.dataSource.transaction((tx) =>
      withIdempotency(tx, idempotencyKey, `gift-card:refund:${giftCardId}`, body, async () => {
        const [card] = await queryRows<GiftCardRow>(tx, 'SELECT * FROM gift_cards WHERE id = $1 FOR UPDATE', [giftCardId]);
        if (!card) throw new DomainError(DomainErrorType.NotFound, 'GIFT_CARD_NOT_FOUND', `no gift card ${giftCardId}`);
        const [sums] = await queryRows<{ spent: string; refunded: string }>(
          tx,
          `SELECT COALESCE(-sum(delta) FILTER (WHERE kind = 'spend'), 0) AS spent, COALESCE(sum(delta) FILTER (WHERE kind = 'refund'), 0) AS refunded
             FROM gift_card_ledger WHERE gift_card_id = $1 AND ref = $2`,
          [giftCardId, body.orderId],
        );
        const verdict = canRefund(body.amount, Number(sums.spent), Number(sums.refunded));
        if (!verdict.ok) throw new DomainError(DomainErrorType.NotAllowed, verdict.code, verdict.message, [{ field: 'amount', reason: verdict.message }]);
        const [row] = await queryRows<GiftCardRow>(tx, 'UPDATE gift_cards SET balance = balance + $2 WHERE id = $1 RETURNING *', [giftCardId, body.amount]);
        await tx.query(`INSERT INTO gift_card_ledger (gift_card_id, kind, delta, ref) VALUES ($1, 'refund', $2, $3)`, [giftCardId, body.amount, body.orderId]);
        await this.events.add(tx, GIFT_CARD_CHANGED, { giftCardId, kind: 'refund', delta: body.amount, balance: row.balance, currency: row.currency, ref: body.orderId });
        return view(row);
      }),
    );
  }

  /** The member's cards. */
  async list(memberId: string): Promise<GiftCardView[]> {
    const member = await requireActiveMember(this.dataSource.manager, memberId, false);
    return (await queryRows<GiftCardRow>(this.dataSource, 'SELECT * FROM gift_cards WHERE member_id = $1 ORDER BY issued_at, id', [member.id])).map(view);
  }

  private async bySecret(tx: EntityManager, body: GiftCardSecretDto): Promise<GiftCardRow> {
    const [card] = await queryRows<GiftCardRow>(tx, 'SELECT * FROM gift_cards WHERE code_hash = $1', [this.hasher.giftCardCode(body.code)]);
    const expected = card ? Buffer.from(card.pin_hash) : Buffer.alloc(0);
    const given = Buffer.from(this.hasher.giftCardPin(card?.id ?? '', body.pin));
    if (!card || expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new DomainError(DomainErrorType.NotFound, 'GIFT_CARD_NOT_FOUND', 'no gift card with this code and PIN');
    }
    return card;
  }
}

function view(row: GiftCardRow): GiftCardView {
  return { giftCardId: row.id, memberId: row.member_id, currency: row.currency, balance: row.balance, frozen: row.frozen, available: row.balance - row.frozen, status: row.status };
}
