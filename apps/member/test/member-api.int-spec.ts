import { OUTBOX_TABLE } from '@omni/messaging';
import { uniqueId } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { call, ledgerInvariantBreaches, registerMember, startMember, type MemberHarness } from './member.harness';

// The member service's internal API on real Postgres: identities and merges, points, coupons,
// gift cards and tiers; bad input is a 4xx naming the field; personal data never leaves the service.
jest.setTimeout(120_000);

let h: MemberHarness;
const PHONE = '+86 138 0013 8000';
const NAME = 'Li Wei Testname';

beforeAll(async () => {
  h = await startMember('api');
});
afterAll(async () => {
  await h?.close();
});

const earn = (memberId: string, paidAmount: number, orderId = uuidv7()) =>
  call<{ points: number; balance: number; tier: string; applied: boolean }>(h.service, 'POST', `/internal/members/${memberId}/points/earn`, { orderId, channel: 'app', paidAmount });
const issueCoupon = (memberId: string, fields: Record<string, unknown> = {}) =>
  call<{ couponId: string; status: string }>(h.service, 'POST', `/internal/members/${memberId}/coupons`, {
    templateId: 'tpl-ten-off',
    code: 'TEN-OFF',
    channels: ['app'],
    validFrom: new Date(Date.now() - 60_000).toISOString(),
    validTo: new Date(Date.now() + 86_400_000).toISOString(),
    ...fields,
  });
const profile = (memberId: string) => call<{ memberId: string; tier: string; phone: string; name: string; points: { balance: number } }>(h.service, 'GET', `/internal/members/${memberId}`);

describe('identity', () => {
  it('registers a member, finds it by phone and by account, and shows the phone masked', async () => {
    const accountId = uniqueId('app-user');
    const memberId = await registerMember(h.service, { phone: PHONE, name: NAME, account: { kind: 'app', accountId } });
    expect((await call(h.service, 'POST', '/internal/members/lookup', { phone: '+8613800138000' })).body).toEqual({ memberId });
    expect((await call(h.service, 'POST', '/internal/members/lookup', { account: { kind: 'app', accountId } })).body).toEqual({ memberId });
    const shown = (await profile(memberId)).body;
    expect(shown).toMatchObject({ memberId, tier: 'regular', phone: '**********8000', name: NAME });
  });

  it('lets a buyer known by phone at a store register in the app and keep their history', async () => {
    const storePhone = '13900139000';
    const storeMember = await registerMember(h.service, { channel: 'pos', account: { kind: 'store-phone', accountId: storePhone } });
    await earn(storeMember, 5_000);
    const claimed = await call<{ memberId: string; existing: boolean }>(h.service, 'POST', '/internal/members', {
      channel: 'app',
      phone: '139 0013 9000',
      account: { kind: 'app', accountId: uniqueId('app-user') },
    });
    expect(claimed.status).toBe(201);
    expect(claimed.body).toEqual({ memberId: storeMember, existing: true });
    expect((await profile(storeMember)).body.points.balance).toBe(50);
  });

  it('merges two members when an account of one is linked to the other: every point, coupon, gift card and order moves', async () => {
    const older = await registerMember(h.service);
    const marketplaceId = uniqueId('tmall-buyer');
    const newer = await registerMember(h.service, { channel: 'tmall', account: { kind: 'marketplace', accountId: marketplaceId } });
    await earn(older, 10_000);
    await earn(newer, 25_000);
    await earn(newer, 7_000);
    const coupon = (await issueCoupon(newer)).body.couponId;
    const card = (await call<{ giftCardId: string }>(h.service, 'POST', '/internal/gift-cards', { currency: 'CNY', amount: 5_000, memberId: newer })).body.giftCardId;

    const linked = await call<{ memberId: string; mergedFrom: string }>(h.service, 'POST', `/internal/members/${older}/accounts`, { kind: 'marketplace', accountId: marketplaceId });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ memberId: older, mergedFrom: newer });

    expect((await profile(older)).body.points.balance).toBe(100 + 250 + 70);
    // The absorbed id still works and leads to the survivor.
    expect((await profile(newer)).body.memberId).toBe(older);
    const coupons = (await call<{ couponId: string; memberId: string }[]>(h.service, 'GET', `/internal/members/${older}/coupons`)).body;
    expect(coupons.map((c) => c.couponId)).toEqual([coupon]);
    const cards = (await call<{ giftCardId: string; balance: number }[]>(h.service, 'GET', `/internal/members/${older}/gift-cards`)).body;
    expect(cards).toEqual([expect.objectContaining({ giftCardId: card, balance: 5_000 })]);
    const [{ orders }] = await h.dataSource.query('SELECT count(*)::int AS orders FROM member_orders WHERE member_id = $1', [older]);
    expect(orders).toBe(3);
    const [merged] = await h.dataSource.query(`SELECT payload FROM ${OUTBOX_TABLE} WHERE topic = $1`, [`${h.topicPrefix}members-merged`]);
    expect(merged.payload).toMatchObject({ survivorId: older, absorbedId: newer, pointsMoved: 320, couponsMoved: 1, giftCardsMoved: 1, ordersMoved: 2, accountsMoved: 1 });
    expect(await ledgerInvariantBreaches(h.dataSource)).toEqual([]);
  });

  it('answers bad input with 4xx naming the field', async () => {
    const bad = await call<{ code: string; details: { field: string }[] }>(h.service, 'POST', '/internal/members', { channel: 'app', account: { kind: 'fax', accountId: '' }, phone: 'call me' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d) => d.field).sort()).toEqual(['account.accountId', 'account.kind', 'phone']);
    const taken = await call<{ code: string }>(h.service, 'POST', '/internal/members', { channel: 'app', account: { kind: 'store-phone', accountId: '+8613800138000' } });
    expect(taken.status).toBe(409);
    const neither = await call<{ details: { field: string }[] }>(h.service, 'POST', '/internal/members/lookup', {});
    expect(neither.status).toBe(400);
    expect((await call(h.service, 'GET', `/internal/members/${uuidv7()}`)).status).toBe(404);
    expect((await call(h.service, 'GET', '/internal/members/not-an-id')).status).toBe(400);
    const key = await call<{ details: { field: string }[] }>(h.service, 'POST', '/internal/members', { channel: 'app', account: { kind: 'app', accountId: 'x' } }, { 'idempotency-key': 'bad key!' });
    expect(key.status).toBe(400);
    expect(key.body.details[0].field).toBe('Idempotency-Key');
  });

  it('replays a registration under the same Idempotency-Key without a second member', async () => {
    const body = { channel: 'web', account: { kind: 'social', accountId: uniqueId('open-id') } };
    const key = uniqueId('register-key');
    const first = await call<{ memberId: string }>(h.service, 'POST', '/internal/members', body, { 'idempotency-key': key });
    const again = await call<{ memberId: string }>(h.service, 'POST', '/internal/members', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });
});

describe('points, tiers and coupons', () => {
  it('earns once per order with the tier multiplier, upgrades at once and announces it', async () => {
    const memberId = await registerMember(h.service);
    const orderId = uuidv7();
    expect((await earn(memberId, 60_000, orderId)).body).toMatchObject({ points: 600, balance: 600, tier: 'regular', applied: true });
    expect((await earn(memberId, 60_000, orderId)).body).toMatchObject({ applied: false, balance: 600 });
    // 1,200.00 over the period reaches silver; its multiplier applies from the next order.
    expect((await earn(memberId, 60_000)).body).toMatchObject({ points: 600, tier: 'silver' });
    expect((await earn(memberId, 10_000)).body).toMatchObject({ points: 125, balance: 1_325 });
    const [change] = await h.dataSource.query(`SELECT payload FROM ${OUTBOX_TABLE} WHERE topic = $1 AND payload->>'memberId' = $2`, [`${h.topicPrefix}tier-changed`, memberId]);
    expect(change.payload).toMatchObject({ schemaVersion: 2, fromTier: 'regular', toTier: 'silver', change: 'upgrade', tierVersion: 1 });
  });

  it('expires points by batch, oldest first, and reverses what a refunded order earned', async () => {
    const memberId = await registerMember(h.service);
    const refunded = uuidv7();
    await earn(memberId, 30_000);
    await earn(memberId, 20_000, refunded);
    await h.dataSource.query(`UPDATE points_batches SET expires_at = now() - interval '1 day' WHERE member_id = $1 AND source_ref <> $2`, [memberId, refunded]);
    expect((await call(h.service, 'POST', '/internal/points/expire-due')).status).toBe(200);
    expect((await profile(memberId)).body.points.balance).toBe(200);
    expect((await call(h.service, 'POST', '/internal/points/reverse', { orderId: refunded })).body).toEqual({ orderId: refunded, reversed: 200, shortfall: 0 });
    expect((await call(h.service, 'POST', '/internal/points/reverse', { orderId: refunded })).body).toMatchObject({ reversed: 0 });
    const points = (await call<{ balance: number; history: { kind: string; delta: number }[] }>(h.service, 'GET', `/internal/members/${memberId}/points`)).body;
    expect(points.balance).toBe(0);
    expect(points.history.map((e) => [e.kind, e.delta])).toEqual([['reverse-earn', -200], ['expire', -300], ['earn', 200], ['earn', 300]]);
    expect(await ledgerInvariantBreaches(h.dataSource)).toEqual([]);
  });

  it('issues a coupon once per occasion and refuses one whose template has ended', async () => {
    const memberId = await registerMember(h.service);
    const occasionKey = `member-day:2026-12:${memberId}`;
    const [a, b] = await Promise.all([issueCoupon(memberId, { occasionKey }), issueCoupon(memberId, { occasionKey })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.couponId).toBe(b.body.couponId);
    const ended = await issueCoupon(memberId, { validFrom: '2020-01-01T00:00:00Z', validTo: '2020-02-01T00:00:00Z' });
    expect(ended.status).toBe(422);
  });
});

describe('gift cards', () => {
  it('are issued with a code and PIN shown once and stored hashed; a wrong PIN finds nothing', async () => {
    const issued = await call<{ giftCardId: string; code: string; pin: string; balance: number }>(h.service, 'POST', '/internal/gift-cards', { currency: 'CNY', amount: 10_000 });
    expect(issued.status).toBe(201);
    const [row] = await h.dataSource.query('SELECT code_hash, pin_hash FROM gift_cards WHERE id = $1', [issued.body.giftCardId]);
    expect(JSON.stringify(row)).not.toContain(issued.body.code);
    expect(JSON.stringify(row)).not.toContain(issued.body.pin);
    const wrongPin = issued.body.pin === '000000' ? '111111' : '000000';
    expect((await call(h.service, 'POST', '/internal/gift-cards/check', { code: issued.body.code, pin: wrongPin })).status).toBe(404);
    const memberId = await registerMember(h.service);
    const claimed = await call<{ memberId: string; balance: number }>(h.service, 'POST', `/internal/members/${memberId}/gift-cards/claim`, { code: issued.body.code, pin: issued.body.pin });
    expect(claimed.body).toMatchObject({ memberId, balance: 10_000 });
    const other = await registerMember(h.service);
    expect((await call(h.service, 'POST', `/internal/members/${other}/gift-cards/claim`, { code: issued.body.code, pin: issued.body.pin })).status).toBe(409);
    // Nothing spent for this order yet, so nothing can be refunded to the card.
    const refund = await call<{ details: { field: string }[] }>(h.service, 'POST', `/internal/gift-cards/${issued.body.giftCardId}/refund`, { orderId: uuidv7(), amount: 100 });
    expect(refund.status).toBe(422);
    expect(refund.body.details[0].field).toBe('amount');
  });
});

describe('personal data', () => {
  it('never appears in any event', async () => {
    const rows: { payload: unknown; headers: unknown }[] = await h.dataSource.query(`SELECT payload, headers FROM ${OUTBOX_TABLE}`);
    const everything = JSON.stringify(rows);
    expect(rows.length).toBeGreaterThan(0);
    for (const secret of ['13800138000', '8613800138000', '13900139000', NAME]) expect(everything).not.toContain(secret);
  });
});
