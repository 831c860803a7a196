import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { createTestDatabase, testInfra, uniqueId, uniqueTopicPrefix, waitFor, type TestDatabase } from '@omni/testing';
import { call, KEYS, startGateway, STORED_COUPON_QUOTE_ID, STORED_QUOTE_COUPON, type GatewayUnderTest } from './support/gateway-harness';
import { ServiceProcess } from './support/service-process';
import { serviceAuthHeaders } from '@omni/platform/testing';

jest.setTimeout(300_000);

let phoneSeq = 0;
const newPhone = () => `+86137${String(Date.now() % 10_000).padStart(4, '0')}${String(++phoneSeq).padStart(4, '0')}`;

/**
 * Members through the gateway with the real member service (own process, own database): sign-in,
 * refresh rotation, /me isolation, staff reads, channel-account mapping, store QR login, and the
 * member passed to pricing and order (stub upstreams that record what they were sent).
 */
describe('gateway members (real member service, Postgres, Redis, Kafka; stub pricing and order)', () => {
  let gw: GatewayUnderTest;
  let memberDb: TestDatabase;
  let member: ServiceProcess;
  let memberUrl: string;
  const sink = join(mkdtempSync(join(tmpdir(), 'gw-otp-')), 'codes.jsonl');

  beforeAll(async () => {
    memberDb = await createTestDatabase('gw_member_svc');
    member = new ServiceProcess('member', {
      DATABASE_URL: memberDb.url,
      REDIS_URL: testInfra.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueId('gw-member')}:`,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('gw-member'),
      TCC_HELD_BRANCH_CHECK_INTERVAL_MS: '0',
      MEMBER_OTP_SINK_FILE: sink,
    });
    memberUrl = await member.url();
    gw = await startGateway('gw_member', { MEMBER_URL: memberUrl });
  });

  afterAll(async () => {
    await gw?.close();
    await member?.stop();
    await memberDb?.drop();
  });

  const app = (token?: string, extra: Record<string, string> = {}) => ({ 'x-api-key': KEYS.app, ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra });

  async function signIn(phone: string) {
    expect(await call(`${gw.url}/auth/otp`, { method: 'POST', headers: app(), body: { phone } })).toMatchObject({ status: 202, body: { expiresAt: expect.any(String) } });
    const code = await waitFor(
      () =>
        readFileSync(sink, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { to: string; code: string })
          .reverse()
          .find((l) => l.to.endsWith(phone.slice(-4)))?.code,
      { timeoutMs: 5000, intervalMs: 50, what: 'the code in the sink' },
    );
    const verified = await call(`${gw.url}/auth/otp/verify`, { method: 'POST', headers: app(), body: { phone, code } });
    expect(verified).toMatchObject({ status: 200, body: { tokenType: 'Bearer', expiresIn: 900, refreshToken: expect.stringMatching(/^mrt_/) } });
    return verified.body as { memberId: string; accessToken: string; refreshToken: string; registered: boolean };
  }

  it('signs a member in by code (registering them), and the access token opens /me on its channel only', async () => {
    const a = await signIn(newPhone());
    expect(a.registered).toBe(true);
    expect(await call(`${gw.url}/me`, { headers: app(a.accessToken) })).toMatchObject({ status: 200, body: { memberId: a.memberId, tier: 'regular' } });
    expect(await call(`${gw.url}/me/tier`, { headers: app(a.accessToken) })).toMatchObject({ status: 200, body: { memberId: a.memberId, tier: 'regular' } });
    expect(await call(`${gw.url}/me/points?limit=5`, { headers: app(a.accessToken) })).toMatchObject({ status: 200, body: { balance: 0, history: [], nextBefore: null } });
    expect(await call(`${gw.url}/me/coupons`, { headers: app(a.accessToken) })).toMatchObject({ status: 200, body: [] });
    expect(await call(`${gw.url}/me/gift-cards`, { headers: app(a.accessToken) })).toMatchObject({ status: 200, body: [] });
    expect((await call(`${gw.url}/me`, { headers: app() })).status).toBe(401);
    expect((await call(`${gw.url}/me`, { headers: { authorization: `Bearer ${a.accessToken}` } })).status).toBe(401);
    expect(await call(`${gw.url}/me`, { headers: { 'x-api-key': KEYS.tmall, authorization: `Bearer ${a.accessToken}` } })).toMatchObject({ status: 403, body: { code: 'MEMBER_TOKEN_OF_OTHER_CHANNEL' } });
    const forged = new JwtService().sign({ ch: 'app' }, { secret: 'not-the-gateway-secret-0123456789abcdef', issuer: 'omni-member', audience: 'member-access', subject: a.memberId });
    expect((await call(`${gw.url}/me`, { headers: app(forged) })).status).toBe(401);
    expect((await call(`${gw.url}/me`, { headers: app(gw.memberToken(a.memberId, 'app', -10)) })).status).toBe(401);
    // A store login code is not an access token.
    expect((await call(`${gw.url}/me`, { headers: app(gw.storeLoginCode(a.memberId)) })).status).toBe(401);
  });

  it('rotates refresh tokens; a reused one ends the session', async () => {
    const a = await signIn(newPhone());
    const next = await call(`${gw.url}/auth/refresh`, { method: 'POST', headers: app(), body: { refreshToken: a.refreshToken } });
    expect(next).toMatchObject({ status: 200, body: { memberId: a.memberId, accessToken: expect.any(String) } });
    expect((await call(`${gw.url}/me`, { headers: app(next.body.accessToken as string) })).status).toBe(200);
    expect(await call(`${gw.url}/auth/refresh`, { method: 'POST', headers: app(), body: { refreshToken: a.refreshToken } })).toMatchObject({ status: 401, body: { code: 'REFRESH_TOKEN_REUSED' } });
    expect(await call(`${gw.url}/auth/refresh`, { method: 'POST', headers: app(), body: { refreshToken: next.body.refreshToken } })).toMatchObject({ status: 401, body: { code: 'REFRESH_TOKEN_REVOKED' } });
  });

  it('shows each member only their own data; staff with member-support read any member', async () => {
    const a = await signIn(newPhone());
    const b = await signIn(newPhone());
    expect(a.memberId).not.toBe(b.memberId);
    expect((await call(`${gw.url}/me`, { headers: app(b.accessToken) })).body.memberId).toBe(b.memberId);
    // Nothing in the request can point /me at another member: a member id in the query is not read.
    expect((await call(`${gw.url}/me?memberId=${a.memberId}`, { headers: app(b.accessToken) })).body.memberId).toBe(b.memberId);
    expect((await call(`${gw.url}/me/points?memberId=${a.memberId}`, { headers: app(b.accessToken) })).status).toBe(400);
    expect((await call(`${gw.url}/me/orders`, { headers: app(b.accessToken) })).status).toBe(200);
    expect(gw.stub.calls.filter((c) => c.path === '/orders').pop()?.query.memberId).toBe(b.memberId);

    const support = { authorization: `Bearer ${gw.staffToken(['member-support'])}` };
    expect(await call(`${gw.url}/admin/members/${a.memberId}`, { headers: support })).toMatchObject({ status: 200, body: { memberId: a.memberId } });
    expect((await call(`${gw.url}/admin/members/${a.memberId}/points`, { headers: support })).status).toBe(200);
    expect((await call(`${gw.url}/admin/members/${a.memberId}`, { headers: { authorization: `Bearer ${gw.staffToken(['catalog-editor'])}` } })).status).toBe(403);
    expect((await call(`${gw.url}/admin/members/${a.memberId}`, { headers: app(a.accessToken) })).status).toBe(401);
    expect((await call(`${gw.url}/admin/members/01936d2a-0000-7000-8000-0000000000ff`, { headers: support })).status).toBe(404);
  });

  it('lets an allowed channel integration name the member by its channel account id', async () => {
    const accountId = `tb-${Date.now()}`;
    const registered = await fetch(`${memberUrl}/internal/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...serviceAuthHeaders('member') },
      body: JSON.stringify({ channel: 'tmall', account: { kind: 'marketplace', accountId } }),
    });
    const { memberId } = (await registered.json()) as { memberId: string };
    expect(await call(`${gw.url}/me`, { headers: { 'x-api-key': KEYS.tmall, 'x-channel-account-id': accountId } })).toMatchObject({ status: 200, body: { memberId } });
    expect(await call(`${gw.url}/me`, { headers: { 'x-api-key': KEYS.tmall, 'x-channel-account-id': 'nobody-here' } })).toMatchObject({ status: 404, body: { code: 'MEMBER_NOT_FOUND' } });
    expect(await call(`${gw.url}/me`, { headers: { 'x-api-key': KEYS.app, 'x-channel-account-id': accountId } })).toMatchObject({ status: 403, body: { code: 'CHANNEL_ACCOUNT_NOT_ALLOWED' } });
    expect(await call(`${gw.url}/me`, { headers: { 'x-api-key': KEYS.pos, 'x-channel-account-id': accountId } })).toMatchObject({ status: 403, body: { code: 'CHANNEL_ACCOUNT_NOT_ALLOWED' } });
    const quoted = await call(`${gw.url}/cart/quote`, { method: 'POST', headers: { 'x-api-key': KEYS.tmall, 'x-channel-account-id': accountId }, body: { lines: [{ sku: 'TEA-250', quantity: 1 }] } });
    expect(quoted.status).toBe(200);
    expect(gw.stub.calls.filter((c) => c.path === '/internal/quotes').pop()?.body).toMatchObject({ channel: 'tmall', memberId });
  });

  it('logs a member in at a store till by the app code, once; expired, forged and non-store attempts are refused', async () => {
    const a = await signIn(newPhone());
    const issued = await call(`${gw.url}/me/store-login-code`, { method: 'POST', headers: app(a.accessToken) });
    expect(issued).toMatchObject({ status: 200, body: { code: expect.any(String), expiresAt: expect.any(String) } });
    const code = issued.body.code as string;
    const pos = { 'x-api-key': KEYS.pos };
    expect(await call(`${gw.url}/store/member-login`, { method: 'POST', headers: { 'x-api-key': KEYS.app }, body: { code } })).toMatchObject({ status: 403, body: { code: 'STORE_KEY_REQUIRED' } });
    const first = await call(`${gw.url}/store/member-login`, { method: 'POST', headers: pos, body: { code } });
    expect(first).toMatchObject({ status: 200, body: { memberId: a.memberId, tier: 'regular', displayName: expect.stringMatching(/^\*+\d{4}$/) } });
    expect(await call(`${gw.url}/store/member-login`, { method: 'POST', headers: pos, body: { code } })).toMatchObject({ status: 409, body: { code: 'STORE_LOGIN_CODE_USED' } });
    expect(await call(`${gw.url}/store/member-login`, { method: 'POST', headers: pos, body: { code: gw.storeLoginCode(a.memberId, -5) } })).toMatchObject({ status: 422, body: { code: 'STORE_LOGIN_CODE_EXPIRED' } });
    const forged = new JwtService().sign({}, { secret: 'not-the-gateway-secret-0123456789abcdef', issuer: 'omni-member', audience: 'store-login', subject: a.memberId, jwtid: 'forged-code-id-000000', expiresIn: 60 });
    expect(await call(`${gw.url}/store/member-login`, { method: 'POST', headers: pos, body: { code: forged } })).toMatchObject({ status: 422, body: { code: 'STORE_LOGIN_CODE_INVALID' } });
    // An access token is not a login code either.
    expect(await call(`${gw.url}/store/member-login`, { method: 'POST', headers: pos, body: { code: a.accessToken } })).toMatchObject({ status: 422, body: { code: 'STORE_LOGIN_CODE_INVALID' } });
  });

  it('passes the signed-in member to pricing and order; a member named in the body is refused', async () => {
    const a = await signIn(newPhone());
    const quoted = await call(`${gw.url}/cart/quote`, { method: 'POST', headers: app(a.accessToken), body: { lines: [{ sku: 'TEA-250', quantity: 1 }] } });
    expect(quoted.status).toBe(200);
    expect(gw.stub.calls.filter((c) => c.path === '/internal/quotes').pop()?.body).toMatchObject({ channel: 'app', memberId: a.memberId });
    const anonymousQuote = await call(`${gw.url}/cart/quote`, { method: 'POST', headers: app(), body: { lines: [{ sku: 'TEA-250', quantity: 1 }] } });
    expect(anonymousQuote.status).toBe(200);
    expect(gw.stub.calls.filter((c) => c.path === '/internal/quotes').pop()?.body).not.toHaveProperty('memberId');
    for (const field of ['memberId', 'memberTier']) {
      const refused = await call(`${gw.url}/cart/quote`, { method: 'POST', headers: app(a.accessToken), body: { lines: [{ sku: 'TEA-250', quantity: 1 }], [field]: 'silver' } });
      expect(refused).toMatchObject({ status: 400, body: { details: [{ field }] } });
    }

    const order = (buyer: Record<string, unknown>, token?: string, extra: Record<string, unknown> = {}) =>
      call(`${gw.url}/orders`, {
        method: 'POST',
        headers: app(token, { 'idempotency-key': `gw-member-${Date.now()}-${Math.random()}` }),
        body: { buyer, lines: [{ sku: 'TEA-250', quantity: 1 }], fulfilment: { type: 'ship', address: { line1: '1 Lake Rd', city: 'Hangzhou', country: 'CN' } }, ...extra },
      });
    expect((await order({ anonymous: false }, a.accessToken)).status).toBe(201);
    expect(gw.stub.calls.filter((c) => c.path === '/orders' && c.method === 'POST').pop()?.body).toMatchObject({ buyer: { memberId: a.memberId, anonymous: false } });
    expect(await order({ anonymous: false, memberId: '01936d2a-0000-7000-8000-0000000000ff' }, a.accessToken)).toMatchObject({ status: 400, body: { details: [{ field: 'buyer.memberId' }] } });
    expect(await order({ anonymous: false })).toMatchObject({ status: 401 });
    expect(await order({ anonymous: true }, a.accessToken)).toMatchObject({ status: 400, body: { details: [{ field: 'buyer.anonymous' }] } });
    for (const field of ['points', 'giftCard', 'memberTier']) {
      expect(await order({ anonymous: false }, a.accessToken, { [field]: { points: 100000, amount: 100000 } })).toMatchObject({ status: 400, body: { details: [{ field }] } });
    }
  });

  it("spends the signed-in member's wallet: the quote's coupon as a coupon the wallet holds, points and a gift card as asked; nobody else's", async () => {
    const a = await signIn(newPhone());
    const other = await signIn(newPhone());
    const body = (extra: Record<string, unknown>) => ({
      buyer: { anonymous: false },
      lines: [{ sku: 'TEA-250', quantity: 1 }],
      fulfilment: { type: 'ship', address: { line1: '1 Lake Rd', city: 'Hangzhou', country: 'CN' } },
      ...extra,
    });
    const order = (token: string | undefined, extra: Record<string, unknown>, anonymous = false) =>
      call(`${gw.url}/orders`, {
        method: 'POST',
        headers: app(token, { 'idempotency-key': `gw-spend-${Date.now()}-${Math.random()}` }),
        body: { ...body(extra), buyer: { anonymous } },
      });
    const lastOrder = () => gw.stub.calls.filter((c) => c.path === '/orders' && c.method === 'POST').pop()?.body as Record<string, unknown>;

    // A coupon code the buyer's wallet does not hold is refused; an anonymous buyer holds none.
    expect(await order(a.accessToken, { quoteId: STORED_COUPON_QUOTE_ID })).toMatchObject({ status: 409, body: { code: 'COUPON_NOT_IN_WALLET', details: [{ field: 'quoteId' }] } });
    expect(await order(undefined, { quoteId: STORED_COUPON_QUOTE_ID }, true)).toMatchObject({ status: 409, body: { code: 'COUPON_NOT_IN_WALLET' } });

    const validFrom = new Date(Date.now() - 60_000).toISOString();
    const validTo = new Date(Date.now() + 86_400_000).toISOString();
    const issued = await call(`${memberUrl}/internal/members/${a.memberId}/coupons`, { method: 'POST', headers: serviceAuthHeaders('member'), body: { templateId: 'member-day', code: STORED_QUOTE_COUPON, validFrom, validTo } });
    expect(issued.status).toBe(201);
    const couponId = (issued.body as { couponId: string }).couponId;

    // Held: the order names that wallet coupon, with the quote's discount, and the points' value at the shared point value.
    const cardId = '01936d2a-0000-7000-8000-0000000000aa';
    expect((await order(a.accessToken, { quoteId: STORED_COUPON_QUOTE_ID, spend: { points: 120, giftCard: { cardId, amount: 500 } } })).status).toBe(201);
    expect(lastOrder()).toMatchObject({
      buyer: { memberId: a.memberId, anonymous: false },
      coupons: [{ code: STORED_QUOTE_COUPON, discount: 300, couponId }],
      points: { points: 120, value: 120 },
      giftCard: { cardId, amount: 500 },
    });
    // Another member does not hold a's coupon.
    expect(await order(other.accessToken, { quoteId: STORED_COUPON_QUOTE_ID })).toMatchObject({ status: 409, body: { code: 'COUPON_NOT_IN_WALLET' } });
    // Spending needs a signed-in member; amounts are checked at the edge.
    expect(await order(undefined, { spend: { points: 10 } }, true)).toMatchObject({ status: 401 });
    expect(await order(a.accessToken, { spend: { points: 0 } })).toMatchObject({ status: 400, body: { details: [{ field: 'spend.points' }] } });
    expect(await order(a.accessToken, { spend: { giftCard: { cardId: 'nope', amount: 5 } } })).toMatchObject({ status: 400, body: { details: [{ field: 'spend.giftCard.cardId' }] } });
  });
});
