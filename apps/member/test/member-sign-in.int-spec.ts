import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { call, registerMember, startMember, type MemberHarness } from './member.harness';

jest.setTimeout(120_000);

/** The code the dev sink recorded for a challenge. */
function codeOf(sink: string, challengeId: string): string {
  const line = readFileSync(sink, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { challengeId: string; code: string; to: string })
    .find((l) => l.challengeId === challengeId);
  if (!line) throw new Error(`no code for ${challengeId}`);
  return line.code;
}

let phoneSeq = 0;
const newPhone = () => `+86139${String(Date.now() % 100_000).padStart(5, '0')}${String(++phoneSeq).padStart(3, '0')}`;

describe('member sign-in: one-time codes, sessions, store QR logins (real Postgres, Redis, Kafka)', () => {
  let member: MemberHarness;
  const sink = join(mkdtempSync(join(tmpdir(), 'member-otp-')), 'codes.jsonl');

  beforeAll(async () => {
    member = await startMember('sign_in', { MEMBER_OTP_SINK_FILE: sink });
  });

  afterAll(async () => {
    await member?.close();
  });

  async function signIn(phone: string, channel = 'app') {
    const sent = await call<{ challengeId: string }>(member.service, 'POST', '/internal/sign-in/otp', { channel, phone });
    expect(sent.status).toBe(202);
    const verified = await call<{ memberId: string; refreshToken: string; registered: boolean }>(member.service, 'POST', '/internal/sign-in/otp/verify', {
      channel,
      phone,
      code: codeOf(sink, sent.body.challengeId),
    });
    expect(verified.status).toBe(200);
    return verified.body;
  }

  it('registers on first sign-in, signs the same member in again, and keeps only hashes of codes and tokens', async () => {
    const phone = newPhone();
    const first = await signIn(phone);
    expect(first).toMatchObject({ registered: true, refreshToken: expect.stringMatching(/^mrt_/) });
    // The phone never waits 30 s between codes in a test: take the limit's clock out of the way.
    await member.dataSource.query(`UPDATE otp_challenges SET created_at = created_at - interval '1 minute'`);
    const again = await signIn(phone);
    expect(again).toMatchObject({ memberId: first.memberId, registered: false });
    const stored = JSON.stringify(await member.dataSource.query('SELECT * FROM otp_challenges'));
    expect(stored.length).toBeGreaterThan(10);
    const tokens = JSON.stringify(await member.dataSource.query('SELECT token_hash FROM refresh_tokens'));
    expect(tokens).not.toContain(first.refreshToken.slice(4));
    expect(stored).not.toContain(phone.slice(-8));
    const sinkLines = readFileSync(sink, 'utf8');
    expect(sinkLines).not.toContain(phone.slice(1));
  });

  it('a store buyer known by phone claims their history on first sign-in', async () => {
    const phone = newPhone();
    const storeBuyer = await registerMember(member.service, { channel: 'pos', account: { kind: 'store-phone', accountId: phone } });
    const signedIn = await signIn(phone);
    expect(signedIn).toMatchObject({ memberId: storeBuyer, registered: false });
  });

  it('refuses a wrong code (counting attempts until the code is dead), an expired code, and limits codes per phone', async () => {
    const phone = newPhone();
    const sent = await call<{ challengeId: string }>(member.service, 'POST', '/internal/sign-in/otp', { channel: 'app', phone });
    const code = codeOf(sink, sent.body.challengeId);
    const wrong = code === '000000' ? '000001' : '000000';
    const tooSoon = await call(member.service, 'POST', '/internal/sign-in/otp', { channel: 'app', phone });
    expect(tooSoon).toMatchObject({ status: 429, body: { code: 'OTP_RATE_LIMITED' } });
    for (let i = 1; i <= 4; i++) {
      expect(await call(member.service, 'POST', '/internal/sign-in/otp/verify', { channel: 'app', phone, code: wrong })).toMatchObject({ status: 401, body: { code: 'OTP_INVALID' } });
    }
    expect(await call(member.service, 'POST', '/internal/sign-in/otp/verify', { channel: 'app', phone, code: wrong })).toMatchObject({ status: 401, body: { code: 'OTP_ATTEMPTS_EXHAUSTED' } });
    expect(await call(member.service, 'POST', '/internal/sign-in/otp/verify', { channel: 'app', phone, code })).toMatchObject({ status: 401, body: { code: 'OTP_ATTEMPTS_EXHAUSTED' } });

    await member.dataSource.query(`UPDATE otp_challenges SET created_at = created_at - interval '1 minute'`);
    const next = await call<{ challengeId: string }>(member.service, 'POST', '/internal/sign-in/otp', { channel: 'app', phone });
    expect(next.status).toBe(202);
    await member.dataSource.query(`UPDATE otp_challenges SET expires_at = now() - interval '1 second' WHERE id = $1`, [next.body.challengeId]);
    expect(await call(member.service, 'POST', '/internal/sign-in/otp/verify', { channel: 'app', phone, code: codeOf(sink, next.body.challengeId) })).toMatchObject({
      status: 401,
      body: { code: 'OTP_EXPIRED' },
    });
    // Five codes in the window: the sixth waits even after the 30 s gap.
    for (let i = 0; i < 3; i++) {
      await member.dataSource.query(`UPDATE otp_challenges SET created_at = created_at - interval '1 minute'`);
      expect((await call(member.service, 'POST', '/internal/sign-in/otp', { channel: 'app', phone })).status).toBe(202);
    }
    await member.dataSource.query(`UPDATE otp_challenges SET created_at = created_at - interval '1 minute'`);
    expect(await call(member.service, 'POST', '/internal/sign-in/otp', { channel: 'app', phone })).toMatchObject({ status: 429, body: { code: 'OTP_RATE_LIMITED' } });
  });

  it('rotates refresh tokens on use; reusing a rotated one revokes the whole family; another channel cannot use it', async () => {
    const session = await signIn(newPhone());
    const otherChannel = await call(member.service, 'POST', '/internal/sessions/refresh', { refreshToken: session.refreshToken, channel: 'tmall' });
    expect(otherChannel).toMatchObject({ status: 401, body: { code: 'REFRESH_TOKEN_INVALID' } });
    const rotated = await call<{ memberId: string; refreshToken: string }>(member.service, 'POST', '/internal/sessions/refresh', { refreshToken: session.refreshToken, channel: 'app' });
    expect(rotated).toMatchObject({ status: 200, body: { memberId: session.memberId } });
    expect(rotated.body.refreshToken).not.toBe(session.refreshToken);
    const third = await call<{ refreshToken: string }>(member.service, 'POST', '/internal/sessions/refresh', { refreshToken: rotated.body.refreshToken, channel: 'app' });
    expect(third.status).toBe(200);

    // The first token again: a replay. The family ends, including the newest token.
    expect(await call(member.service, 'POST', '/internal/sessions/refresh', { refreshToken: session.refreshToken, channel: 'app' })).toMatchObject({ status: 401, body: { code: 'REFRESH_TOKEN_REUSED' } });
    expect(await call(member.service, 'POST', '/internal/sessions/refresh', { refreshToken: third.body.refreshToken, channel: 'app' })).toMatchObject({ status: 401, body: { code: 'REFRESH_TOKEN_REVOKED' } });

    const other = await signIn(newPhone());
    expect(await call(member.service, 'POST', '/internal/sessions/revoke', { refreshToken: other.refreshToken })).toMatchObject({ status: 200, body: { revoked: true } });
    expect(await call(member.service, 'POST', '/internal/sessions/refresh', { refreshToken: other.refreshToken, channel: 'app' })).toMatchObject({ status: 401, body: { code: 'REFRESH_TOKEN_REVOKED' } });
  });

  it('uses a store login code once; an expired one is refused', async () => {
    const memberId = await registerMember(member.service, { name: 'Zhang Wei', phone: newPhone() });
    const redeem = (codeId: string, expiresAt = new Date(Date.now() + 60_000).toISOString()) =>
      call(member.service, 'POST', '/internal/store-logins/redeem', { codeId, memberId, locationId: uuidv7(), expiresAt });
    const codeId = `code-${Date.now()}-abcdefghij`;
    const [a, b] = await Promise.all([redeem(codeId), redeem(codeId)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((a.status === 200 ? a : b).body).toEqual({ memberId, tier: 'regular', displayName: 'Z**' });
    expect((a.status === 409 ? a : b).body).toMatchObject({ code: 'STORE_LOGIN_CODE_USED' });
    expect(await redeem(`${codeId}-late`, new Date(Date.now() - 1000).toISOString())).toMatchObject({ status: 422, body: { code: 'STORE_LOGIN_CODE_EXPIRED' } });
  });

  it('pages the points history newest first', async () => {
    const memberId = await registerMember(member.service);
    for (let i = 0; i < 5; i++) {
      const earned = await call(member.service, 'POST', `/internal/members/${memberId}/points/earn`, { orderId: uuidv7(), channel: 'app', paidAmount: 1000 * (i + 1) });
      expect(earned.status).toBe(200);
    }
    const first = await call<{ items: Array<{ seq: number; delta: number }>; nextBefore: number }>(member.service, 'GET', `/internal/members/${memberId}/points/history?limit=3`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((i) => i.delta)).toEqual([50, 40, 30]);
    const second = await call<{ items: Array<{ delta: number }>; nextBefore: number | null }>(member.service, 'GET', `/internal/members/${memberId}/points/history?limit=3&before=${first.body.nextBefore}`);
    expect(second.body).toMatchObject({ nextBefore: null });
    expect(second.body.items.map((i) => i.delta)).toEqual([20, 10]);
    expect(await call(member.service, 'GET', `/internal/members/${memberId}/points/history?limit=0`)).toMatchObject({ status: 400, body: { details: [{ field: 'limit' }] } });
  });
});
