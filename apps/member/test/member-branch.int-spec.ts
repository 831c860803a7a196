import { MEMBER_BRANCH_REQUESTED, type MemberBranchRequestedEvent } from '@omni/contracts';
import { OUTBOX_TABLE, OutboxWriter, TopicNames } from '@omni/messaging';
import { HeldBranchResolver, ManualClock, type TccStatusAnswer } from '@omni/tcc';
import { waitFor } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { MemberBranchHolds } from '../src/branches/member-branch-holds.store';
import { MemberBranchService } from '../src/branches/member-branch.service';
import { call, ledgerInvariantBreaches, registerMember, startMember, type MemberHarness } from './member.harness';

// The member participant on the real service and Postgres: the state matrix for each asset type
// (coupon, points, gift card), racing spends, the Kafka commands and branches held past their deadline.
jest.setTimeout(180_000);

let h: MemberHarness;

beforeAll(async () => {
  h = await startMember('branch');
});
afterAll(async () => {
  await h?.close();
});

interface Reply {
  op: string;
  outcome: 'success' | 'failure' | 'retry';
  reasons: { line: number; code: string }[];
  detail?: { points: number; giftCardAmount: number; couponIds: string[] };
}
interface Assets {
  memberId: string;
  couponIds: string[];
  points: number;
  giftCardId?: string;
  giftCardAmount: number;
}

const deadline = () => new Date(Date.now() + 10 * 60_000).toISOString();
const branch = (assets: Assets) => ({ gid: uuidv7(), branchId: uuidv7(), channel: 'app', ...assets });
type Branch = ReturnType<typeof branch>;
const phase = async (op: 'try' | 'confirm' | 'cancel', b: Branch, extra: Record<string, unknown> = {}): Promise<Reply> => {
  const res = await call<Reply>(h.service, 'POST', `/internal/member-branches/${op}`, op === 'try' ? { ...b, deadline: deadline(), ...extra } : b);
  expect(res.status).toBe(200);
  return res.body;
};
const codes = (reply: Reply) => reply.reasons.map((r) => r.code);
const barrier = async (gid: string): Promise<string[]> =>
  (await h.dataSource.query(`SELECT op, coalesce(reason, '') AS reason FROM tcc_barrier WHERE gid = $1 ORDER BY op`, [gid])).map(
    (r: { op: string; reason: string }) => `${r.op}${r.reason ? `:${r.reason}` : ''}`,
  );

const earn = async (memberId: string, points: number) => {
  const res = await call(h.service, 'POST', `/internal/members/${memberId}/points/earn`, { orderId: uuidv7(), channel: 'app', paidAmount: points * 100 });
  expect(res.status).toBe(200);
};
const coupon = async (memberId: string, channels = ['app']) =>
  (await call<{ couponId: string }>(h.service, 'POST', `/internal/members/${memberId}/coupons`, {
    templateId: 'tpl-ten-off',
    code: 'TEN-OFF',
    channels,
    validFrom: new Date(Date.now() - 60_000).toISOString(),
    validTo: new Date(Date.now() + 86_400_000).toISOString(),
  })).body.couponId;
const giftCard = async (memberId: string, amount: number) =>
  (await call<{ giftCardId: string }>(h.service, 'POST', '/internal/gift-cards', { currency: 'CNY', amount, memberId })).body.giftCardId;

/** What a member holds, read straight from the tables. */
const holdings = async (memberId: string, couponId?: string, giftCardId?: string) => {
  const [m] = await h.dataSource.query('SELECT points_balance AS balance, points_frozen AS frozen FROM members WHERE id = $1', [memberId]);
  const [c] = couponId ? await h.dataSource.query('SELECT status FROM coupons WHERE id = $1', [couponId]) : [undefined];
  const [g] = giftCardId ? await h.dataSource.query('SELECT balance, frozen FROM gift_cards WHERE id = $1', [giftCardId]) : [undefined];
  return { points: { balance: m.balance, frozen: m.frozen }, coupon: c?.status, giftCard: g ? { balance: g.balance, frozen: g.frozen } : undefined };
};

/** One asset type per row: how to make a member holding it, and the branch that spends it. */
const ASSETS: [string, () => Promise<{ assets: Assets; couponId?: string; giftCardId?: string }>][] = [
  ['coupon', async () => {
    const memberId = await registerMember(h.service);
    const couponId = await coupon(memberId);
    return { assets: { memberId, couponIds: [couponId], points: 0, giftCardAmount: 0 }, couponId };
  }],
  ['points', async () => {
    const memberId = await registerMember(h.service);
    await earn(memberId, 500);
    return { assets: { memberId, couponIds: [], points: 300, giftCardAmount: 0 } };
  }],
  ['gift card', async () => {
    const memberId = await registerMember(h.service);
    const giftCardId = await giftCard(memberId, 10_000);
    return { assets: { memberId, couponIds: [], points: 0, giftCardId, giftCardAmount: 2_500 }, giftCardId };
  }],
];

describe.each(ASSETS)('state matrix: %s', (_asset, make) => {
  it('Try freezes once however often repeated; Confirm consumes once; a later Cancel is refused and gives nothing back', async () => {
    const { assets, couponId, giftCardId } = await make();
    const b = branch(assets);
    const before = await holdings(assets.memberId, couponId, giftCardId);
    const first = await phase('try', b);
    expect(first).toMatchObject({ outcome: 'success', detail: { points: assets.points, giftCardAmount: assets.giftCardAmount, couponIds: assets.couponIds } });
    expect(await phase('try', b)).toMatchObject({ outcome: 'success' });
    const frozen = await holdings(assets.memberId, couponId, giftCardId);
    expect(frozen.points).toEqual({ balance: before.points.balance, frozen: assets.points });
    if (couponId) expect(frozen.coupon).toBe('frozen');
    if (giftCardId) expect(frozen.giftCard).toEqual({ balance: 10_000, frozen: assets.giftCardAmount });

    expect(await phase('confirm', b)).toMatchObject({ outcome: 'success' });
    expect(await phase('confirm', b)).toMatchObject({ outcome: 'success' });
    const spent = await holdings(assets.memberId, couponId, giftCardId);
    expect(spent.points).toEqual({ balance: before.points.balance - assets.points, frozen: 0 });
    if (couponId) expect(spent.coupon).toBe('redeemed');
    if (giftCardId) expect(spent.giftCard).toEqual({ balance: 10_000 - assets.giftCardAmount, frozen: 0 });

    const cancel = await phase('cancel', b);
    expect(cancel.outcome).toBe('failure');
    expect(codes(cancel)).toEqual(['BRANCH_CONFIRMED']);
    expect(await holdings(assets.memberId, couponId, giftCardId)).toEqual(spent);
    expect(await barrier(b.gid)).toEqual(['confirm', 'try']);
    // A coupon is usable once: another order cannot freeze it again.
    if (couponId) expect(codes(await phase('try', branch(assets)))).toEqual(['COUPON_USED']);
  });

  it('Cancel after Try unfreezes exactly once; Confirm after Cancel is refused', async () => {
    const { assets, couponId, giftCardId } = await make();
    const b = branch(assets);
    const before = await holdings(assets.memberId, couponId, giftCardId);
    await phase('try', b);
    expect(await phase('cancel', b)).toMatchObject({ outcome: 'success' });
    expect(await phase('cancel', b)).toMatchObject({ outcome: 'success' });
    expect(await holdings(assets.memberId, couponId, giftCardId)).toEqual(before);
    const confirm = await phase('confirm', b);
    expect(confirm.outcome).toBe('failure');
    expect(codes(confirm)).toEqual(['BRANCH_CANCELLED']);
    expect(await holdings(assets.memberId, couponId, giftCardId)).toEqual(before);
    // What was unfrozen can be spent by the buyer's next attempt.
    expect(await phase('try', branch(assets))).toMatchObject({ outcome: 'success' });
  });

  it('Cancel before Try is an empty rollback, and the late Try freezes nothing (no suspension)', async () => {
    const { assets, couponId, giftCardId } = await make();
    const b = branch(assets);
    const before = await holdings(assets.memberId, couponId, giftCardId);
    expect(await phase('cancel', b)).toMatchObject({ outcome: 'success' });
    expect(await phase('cancel', b)).toMatchObject({ outcome: 'success' });
    const late = await phase('try', b);
    expect(late.outcome).toBe('failure');
    expect(codes(late)).toEqual(['BRANCH_CANCELLED']);
    expect(codes(await phase('try', b))).toEqual(['BRANCH_CANCELLED']);
    expect(await holdings(assets.memberId, couponId, giftCardId)).toEqual(before);
    expect(await barrier(b.gid)).toEqual(['cancel:empty-rollback', 'try:tombstone']);
  });

  it('Confirm before Try asks to retry and records nothing; a Try past its deadline is refused unrecorded', async () => {
    const { assets } = await make();
    const b = branch(assets);
    const early = await phase('confirm', b);
    expect(early.outcome).toBe('retry');
    expect(codes(early)).toEqual(['BRANCH_NOT_TRIED']);
    expect(await barrier(b.gid)).toEqual([]);
    const late = branch(assets);
    expect(codes(await phase('try', late, { deadline: new Date(Date.now() - 1000).toISOString() }))).toEqual(['DEADLINE_PASSED']);
    expect(await barrier(late.gid)).toEqual([]);
    expect(await phase('try', b)).toMatchObject({ outcome: 'success' });
  });
});

describe('Try refusals', () => {
  it('freezes nothing when any asset is refused, stays refused when repeated, cannot be confirmed and cancels cleanly', async () => {
    const memberId = await registerMember(h.service);
    const couponId = await coupon(memberId);
    await earn(memberId, 100);
    const b = branch({ memberId, couponIds: [couponId], points: 101, giftCardAmount: 0 });
    const refused = await phase('try', b);
    expect(refused.outcome).toBe('failure');
    expect(codes(refused)).toEqual(['POINTS_INSUFFICIENT']);
    expect(codes(await phase('try', b))).toEqual(['POINTS_INSUFFICIENT']);
    expect(await holdings(memberId, couponId)).toEqual({ points: { balance: 100, frozen: 0 }, coupon: 'available', giftCard: undefined });
    expect(codes(await phase('confirm', b))).toEqual(['BRANCH_REJECTED']);
    expect(await phase('cancel', b)).toMatchObject({ outcome: 'success' });
  });

  it.each([
    ['another member’s coupon', async (m: string, other: string) => ({ memberId: m, couponIds: [await coupon(other)], points: 0, giftCardAmount: 0 }), 'COUPON_NOT_OWNED'],
    ['a coupon of another channel', async (m: string) => ({ memberId: m, couponIds: [await coupon(m, ['tmall'])], points: 0, giftCardAmount: 0 }), 'COUPON_NOT_IN_CHANNEL'],
    ['another member’s gift card', async (m: string, other: string) => ({ memberId: m, couponIds: [], points: 0, giftCardId: await giftCard(other, 1_000), giftCardAmount: 100 }), 'GIFT_CARD_NOT_FOUND'],
    ['more than the gift card holds', async (m: string) => ({ memberId: m, couponIds: [], points: 0, giftCardId: await giftCard(m, 1_000), giftCardAmount: 1_001 }), 'GIFT_CARD_INSUFFICIENT'],
    ['an unknown member', async () => ({ memberId: uuidv7(), couponIds: [], points: 1, giftCardAmount: 0 }), 'MEMBER_NOT_FOUND'],
  ])('refuses %s', async (_name, assets, code) => {
    const [memberId, other] = [await registerMember(h.service), await registerMember(h.service)];
    expect(codes(await phase('try', branch(await assets(memberId, other))))).toEqual([code]);
  });

  it('answers bad commands with 400 naming the field', async () => {
    const res = await call<{ details: { field: string }[] }>(h.service, 'POST', '/internal/member-branches/try', {
      gid: 'x',
      branchId: uuidv7(),
      memberId: uuidv7(),
      channel: 'app',
      couponIds: [],
      points: -5,
      giftCardAmount: 100,
    });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.field).sort()).toEqual(['deadline', 'gid', 'giftCardId', 'points']);
  });
});

describe('racing spends on real Postgres', () => {
  const race = async (n: number, assets: () => Assets) => {
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: n }, async () => {
        const b = branch(assets());
        const tried = await phase('try', b);
        if (tried.outcome === 'success') expect(await phase('confirm', b)).toMatchObject({ outcome: 'success' });
        return tried;
      }),
    );
    return { won: replies.filter((r) => r.outcome === 'success').length, lost: replies.filter((r) => r.outcome === 'failure'), ms: Date.now() - started };
  };

  it('50 concurrent orders using the same coupon: exactly one succeeds', async () => {
    const memberId = await registerMember(h.service);
    const couponId = await coupon(memberId);
    const { won, lost } = await race(50, () => ({ memberId, couponIds: [couponId], points: 0, giftCardAmount: 0 }));
    expect(won).toBe(1);
    expect(lost.every((r) => ['COUPON_IN_USE', 'COUPON_USED'].includes(codes(r).join()))).toBe(true);
    expect((await holdings(memberId, couponId)).coupon).toBe('redeemed');
  });

  it('50 concurrent point spends against a balance covering 10: exactly 10 succeed and the balance ends at 0', async () => {
    const memberId = await registerMember(h.service);
    await earn(memberId, 600);
    await earn(memberId, 400);
    const { won, lost } = await race(50, () => ({ memberId, couponIds: [], points: 100, giftCardAmount: 0 }));
    expect(won).toBe(10);
    expect(lost.every((r) => codes(r).join() === 'POINTS_INSUFFICIENT')).toBe(true);
    expect((await holdings(memberId)).points).toEqual({ balance: 0, frozen: 0 });
    expect(await ledgerInvariantBreaches(h.dataSource)).toEqual([]);
  });

  it('a gift card of 100.00 with 30 concurrent 10.00 spends: exactly 10 succeed and it ends at 0', async () => {
    const memberId = await registerMember(h.service);
    const giftCardId = await giftCard(memberId, 10_000);
    const { won } = await race(30, () => ({ memberId, couponIds: [], points: 0, giftCardId, giftCardAmount: 1_000 }));
    expect(won).toBe(10);
    expect((await holdings(memberId, undefined, giftCardId)).giftCard).toEqual({ balance: 0, frozen: 0 });
    const [{ spent }] = await h.dataSource.query(`SELECT -sum(delta)::int AS spent FROM gift_card_ledger WHERE gift_card_id = $1 AND kind = 'spend'`, [giftCardId]);
    expect(spent).toBe(10_000);
  });

  it('no balance is negative anywhere, ever', async () => {
    const [{ negative }] = await h.dataSource.query(
      `SELECT (SELECT count(*) FROM members WHERE points_balance < 0 OR points_frozen < 0 OR points_frozen > points_balance)
            + (SELECT count(*) FROM gift_cards WHERE balance < 0 OR frozen < 0 OR frozen > balance)
            + (SELECT count(*) FROM points_batches WHERE remaining < 0) AS negative`,
    );
    expect(Number(negative)).toBe(0);
  });
});

describe('member branches frozen past their deadline', () => {
  it('are unfrozen only on the coordinator’s cancel decision; a confirming saga keeps its freeze and a late Confirm consumes', async () => {
    const clock = new ManualClock(new Date());
    const answers = new Map<string, TccStatusAnswer | 'unreachable'>();
    const alerts: string[] = [];
    const resolver = new HeldBranchResolver({
      store: new MemberBranchHolds(h.dataSource, h.service.app.get(MemberBranchService)),
      clock,
      observer: { alert: (b, why) => alerts.push(`${b.gid}: ${why}`) },
      coordinator: {
        statusOf: async (gids) => {
          if (gids.some((g) => answers.get(g) === 'unreachable')) throw new Error('connect ECONNREFUSED');
          return gids.flatMap((gid) => {
            const answer = answers.get(gid);
            return answer && answer !== 'unreachable' ? [answer] : [];
          });
        },
      },
    });
    const memberId = await registerMember(h.service);
    await earn(memberId, 1_000);
    const giftCardId = await giftCard(memberId, 10_000);
    const unpaid = branch({ memberId, couponIds: [await coupon(memberId)], points: 200, giftCardId, giftCardAmount: 3_000 });
    const paying = branch({ memberId, couponIds: [], points: 100, giftCardId, giftCardAmount: 1_000 });
    const held = new Date(Date.now() + 60_000);
    expect(await phase('try', unpaid, { deadline: held.toISOString() })).toMatchObject({ outcome: 'success' });
    expect(await phase('try', paying, { deadline: held.toISOString() })).toMatchObject({ outcome: 'success' });

    clock.set(new Date(held.getTime() - 1));
    expect(await resolver.resolveOnce()).toEqual({ asked: 0, released: 0, kept: 0 });

    clock.set(new Date(held.getTime() + 1));
    answers.set(unpaid.gid, 'unreachable');
    expect(await resolver.resolveOnce()).toMatchObject({ asked: 2, released: 0, kept: 2 });
    expect(alerts).toHaveLength(2);
    expect((await holdings(memberId, unpaid.couponIds[0], giftCardId))).toMatchObject({ points: { frozen: 300 }, coupon: 'frozen', giftCard: { frozen: 4_000 } });

    clock.advance(5_000);
    answers.set(unpaid.gid, { gid: unpaid.gid, status: 'cancelling', cause: 'deadline' });
    answers.set(paying.gid, { gid: paying.gid, status: 'confirming' });
    expect(await resolver.resolveOnce()).toMatchObject({ asked: 2, released: 1, kept: 1 });
    expect(await holdings(memberId, unpaid.couponIds[0], giftCardId)).toEqual({ points: { balance: 1_000, frozen: 100 }, coupon: 'available', giftCard: { balance: 10_000, frozen: 1_000 } });
    expect(codes(await phase('confirm', unpaid))).toEqual(['BRANCH_CANCELLED']);

    expect(await phase('confirm', paying)).toMatchObject({ outcome: 'success' });
    expect(await holdings(memberId, undefined, giftCardId)).toMatchObject({ points: { balance: 900, frozen: 0 }, giftCard: { balance: 9_000, frozen: 0 } });
    clock.advance(60_000);
    expect(await resolver.resolveOnce()).toEqual({ asked: 0, released: 0, kept: 0 });
  });
});

describe('member branch over Kafka', () => {
  const writer = () => new OutboxWriter(new TopicNames(h.topicPrefix));
  const send = async (command: Omit<MemberBranchRequestedEvent, 'schemaVersion' | 'occurredAt'>) => {
    // Queued in the service's own outbox: its relay publishes the command like the order service's would.
    await h.dataSource.transaction((tx) => writer().add(tx, MEMBER_BRANCH_REQUESTED, { schemaVersion: 1, occurredAt: new Date().toISOString(), ...command }));
  };
  const replies = async (gid: string): Promise<{ op: string; outcome: string; participant: string; reasons: { code: string }[] }[]> =>
    (await h.dataSource.query(`SELECT payload FROM ${OUTBOX_TABLE} WHERE topic = $1 AND payload->>'gid' = $2 ORDER BY seq`, [`${h.topicPrefix}tcc-branch-replied`, gid])).map(
      (r: { payload: never }) => r.payload,
    );

  it('runs Try (twice) and Confirm from commands, and an early Cancel then late Try of another branch, replying on tcc-branch-replied', async () => {
    const memberId = await registerMember(h.service);
    await earn(memberId, 500);
    const b = branch({ memberId, couponIds: [await coupon(memberId)], points: 200, giftCardAmount: 0 });
    await send({ ...b, op: 'try', deadline: deadline() });
    await send({ ...b, op: 'try', deadline: deadline() });
    await waitFor(async () => (await replies(b.gid)).length === 2, { timeoutMs: 60_000, what: 'two Try replies' });
    await send({ ...b, op: 'confirm', deadline: deadline() });
    const all = await waitFor(async () => {
      const found = await replies(b.gid);
      return found.length === 3 ? found : undefined;
    }, { timeoutMs: 30_000, what: 'the Confirm reply' });
    expect(all.map((r) => [r.op, r.outcome, r.participant])).toEqual([
      ['try', 'success', 'member'],
      ['try', 'success', 'member'],
      ['confirm', 'success', 'member'],
    ]);
    expect((await holdings(memberId, b.couponIds[0])).points).toEqual({ balance: 300, frozen: 0 });

    const early = branch({ memberId, couponIds: [], points: 100, giftCardAmount: 0 });
    await send({ ...early, op: 'cancel', deadline: deadline() });
    await send({ ...early, op: 'try', deadline: deadline() });
    const answered = await waitFor(async () => {
      const found = await replies(early.gid);
      return found.length === 2 ? found : undefined;
    }, { timeoutMs: 30_000, what: 'cancel and late try replies' });
    expect(answered.map((r) => [r.op, r.outcome, r.reasons.map((x) => x.code).join()])).toEqual([
      ['cancel', 'success', ''],
      ['try', 'failure', 'BRANCH_CANCELLED'],
    ]);
    expect((await holdings(memberId)).points).toEqual({ balance: 300, frozen: 0 });
  });
});
