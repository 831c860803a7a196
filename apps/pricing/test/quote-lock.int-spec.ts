import { PRICING_BRANCH_REQUESTED, type PricingBranchRequestedEvent } from '@omni/contracts';
import { OUTBOX_TABLE, OutboxWriter, TopicNames } from '@omni/messaging';
import { HeldBranchResolver, ManualClock, type TccStatusAnswer } from '@omni/tcc';
import { waitFor } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { QuoteLockHolds } from '../src/quote-lock/quote-lock-holds.store';
import { QuoteLockService } from '../src/quote-lock/quote-lock.service';
import { call, ruleBody, startPricing, type PricingHarness } from './pricing.harness';

// The quote lock as a TCC participant on the real service: the state matrix over HTTP, the
// flash-sale cap under 500 racing locks, and the same phases as Kafka commands with replies.
jest.setTimeout(180_000);

let h: PricingHarness;
const hour = 3_600_000;
const FLASH = 'flash-f';

beforeAll(async () => {
  h = await startPricing('lock', { LOG_LEVEL: 'error' });
  await call(h.service, 'PUT', '/internal/base-prices/SKU-F', { amount: 10000 });
  await call(h.service, 'PUT', '/internal/base-prices/SKU-P', { amount: 3000 });
  const created = await call(h.service, 'POST', '/internal/rules', ruleBody({
    id: FLASH,
    kind: 'flash-sale',
    sku: 'SKU-F',
    salePrice: 4900,
    quantityCap: 100,
    perMemberLimit: 2,
    effectiveFrom: new Date(Date.now() - hour).toISOString(),
    effectiveTo: new Date(Date.now() + 2 * hour).toISOString(),
  }));
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

interface Reply {
  op: string;
  outcome: 'success' | 'failure' | 'retry';
  reasons: { line: number; code: string }[];
  detail?: { total: number; quoteId: string };
}
interface QuoteAnswer {
  quoteId: string;
  total: number;
  flashSaleAllocations: { ruleId: string; units: number }[];
}

const deadline = () => new Date(Date.now() + 10 * 60_000).toISOString();
const quote = async (fields: Record<string, unknown> = {}) => {
  const res = await call<QuoteAnswer>(h.service, 'POST', '/internal/quotes', { channel: 'app', lines: [{ sku: 'SKU-F', quantity: 1 }], ...fields });
  expect(res.status).toBe(201);
  return res.body;
};
const branch = (quoteId: string, channel = 'app') => ({ gid: uuidv7(), branchId: uuidv7(), quoteId, channel });
const phase = async (op: 'try' | 'confirm' | 'cancel', b: ReturnType<typeof branch>, extra: Record<string, unknown> = {}) => {
  const res = await call<Reply>(h.service, 'POST', `/internal/quote-locks/${op}`, op === 'try' ? { ...b, deadline: deadline(), ...extra } : b);
  expect(res.status).toBe(200);
  return res.body;
};
const codes = (reply: Reply) => reply.reasons.map((r) => r.code);
const sold = async (): Promise<number> => (await h.dataSource.query('SELECT sold FROM flash_sale_counters WHERE rule_id = $1', [FLASH]))[0].sold;
const lockedBy = async (quoteId: string): Promise<string | null> => (await h.dataSource.query('SELECT locked_by_gid FROM quotes WHERE id = $1', [quoteId]))[0].locked_by_gid;
const barrier = async (gid: string): Promise<string[]> =>
  (await h.dataSource.query('SELECT op, coalesce(reason, \'\') AS reason FROM tcc_barrier WHERE gid = $1 ORDER BY op', [gid])).map((r: { op: string; reason: string }) => `${r.op}${r.reason ? `:${r.reason}` : ''}`);

describe('quote lock state matrix (HTTP)', () => {
  it('Try locks the quote and takes its flash-sale unit once, however often it is repeated', async () => {
    const q = await quote({ memberId: 'm-try' });
    expect(q.flashSaleAllocations).toEqual([{ ruleId: FLASH, sku: 'SKU-F', units: 1 }]);
    expect(q.total).toBe(4900);
    const b = branch(q.quoteId);
    const before = await sold();
    const first = await phase('try', b);
    expect(first).toMatchObject({ op: 'try', outcome: 'success', detail: { quoteId: q.quoteId, total: 4900 } });
    expect(await phase('try', b)).toMatchObject({ outcome: 'success' });
    expect(await sold()).toBe(before + 1);
    expect(await lockedBy(q.quoteId)).toBe(b.gid);
    // Another order cannot lock the same quote.
    const other = await phase('try', branch(q.quoteId));
    expect(other.outcome).toBe('failure');
    expect(codes(other)).toEqual(['QUOTE_ALREADY_LOCKED']);
    // Nor can a second branch of the same saga take the unit again.
    expect(codes(await phase('try', { ...b, branchId: uuidv7() }))).toEqual(['QUOTE_ALREADY_LOCKED']);
    expect(await sold()).toBe(before + 1);
  });

  it('Confirm after Try is final: repeated Confirm succeeds once, a later Cancel is refused and returns nothing', async () => {
    const q = await quote();
    const b = branch(q.quoteId);
    await phase('try', b);
    const afterTry = await sold();
    expect(await phase('confirm', b)).toMatchObject({ outcome: 'success' });
    expect(await phase('confirm', b)).toMatchObject({ outcome: 'success' });
    const cancel = await phase('cancel', b);
    expect(cancel.outcome).toBe('failure');
    expect(codes(cancel)).toEqual(['BRANCH_CONFIRMED']);
    expect(await sold()).toBe(afterTry);
    expect(await lockedBy(q.quoteId)).toBe(b.gid);
    expect(await barrier(b.gid)).toEqual(['confirm', 'try']);
  });

  it('Cancel after Try returns the flash-sale unit and frees the quote exactly once; Confirm after Cancel is refused', async () => {
    const q = await quote({ memberId: 'm-cancel' });
    const b = branch(q.quoteId);
    const before = await sold();
    await phase('try', b);
    expect(await sold()).toBe(before + 1);
    expect(await phase('cancel', b)).toMatchObject({ outcome: 'success' });
    expect(await phase('cancel', b)).toMatchObject({ outcome: 'success' });
    expect(await sold()).toBe(before);
    const [usage] = await h.dataSource.query('SELECT units FROM flash_sale_member_usage WHERE rule_id = $1 AND member_id = $2', [FLASH, 'm-cancel']);
    expect(usage.units).toBe(0);
    expect(await lockedBy(q.quoteId)).toBeNull();
    const confirm = await phase('confirm', b);
    expect(confirm.outcome).toBe('failure');
    expect(codes(confirm)).toEqual(['BRANCH_CANCELLED']);
    // The freed quote can be locked by the buyer's next attempt.
    expect(await phase('try', branch(q.quoteId))).toMatchObject({ outcome: 'success' });
  });

  it('Cancel before Try is an empty rollback, and the late Try does nothing (no suspension)', async () => {
    const q = await quote();
    const b = branch(q.quoteId);
    const before = await sold();
    expect(await phase('cancel', b)).toMatchObject({ outcome: 'success' });
    expect(await phase('cancel', b)).toMatchObject({ outcome: 'success' });
    const late = await phase('try', b);
    expect(late.outcome).toBe('failure');
    expect(codes(late)).toEqual(['BRANCH_CANCELLED']);
    expect(await phase('try', b)).toMatchObject({ outcome: 'failure' });
    expect(await sold()).toBe(before);
    expect(await lockedBy(q.quoteId)).toBeNull();
    expect(await barrier(b.gid)).toEqual(['cancel:empty-rollback', 'try:tombstone']);
  });

  it('Confirm before Try asks the coordinator to retry and records nothing', async () => {
    const q = await quote();
    const b = branch(q.quoteId);
    const early = await phase('confirm', b);
    expect(early.outcome).toBe('retry');
    expect(codes(early)).toEqual(['BRANCH_NOT_TRIED']);
    expect(await barrier(b.gid)).toEqual([]);
    expect(await phase('try', b)).toMatchObject({ outcome: 'success' });
  });

  it('a refused Try stays refused when repeated, cannot be confirmed, and cancels cleanly', async () => {
    const q = await quote();
    const b = branch(q.quoteId, 'tmall');
    const before = await sold();
    const refused = await phase('try', b);
    expect(refused.outcome).toBe('failure');
    expect(codes(refused)).toEqual(['QUOTE_NOT_FOUND']);
    expect(codes(await phase('try', b))).toEqual(['QUOTE_NOT_FOUND']);
    expect(codes(await phase('confirm', b))).toEqual(['BRANCH_REJECTED']);
    expect(await phase('cancel', b)).toMatchObject({ outcome: 'success' });
    expect(await sold()).toBe(before);
    expect(await lockedBy(q.quoteId)).toBeNull();
  });

  it('refuses a Try past its deadline without recording it, and a Try of an expired quote', async () => {
    const q = await quote();
    const late = branch(q.quoteId);
    const reply = await phase('try', late, { deadline: new Date(Date.now() - 1000).toISOString() });
    expect(codes(reply)).toEqual(['DEADLINE_PASSED']);
    expect(await barrier(late.gid)).toEqual([]);
    await h.dataSource.query(`UPDATE quotes SET expires_at = now() - interval '1 minute' WHERE id = $1`, [q.quoteId]);
    expect(codes(await phase('try', branch(q.quoteId)))).toEqual(['QUOTE_EXPIRED']);
  });

  it('enforces the per-member limit at lock time', async () => {
    const member = 'm-limit';
    const locks = [];
    for (let i = 0; i < 3; i++) locks.push(await quote({ memberId: member }));
    const replies = [];
    for (const q of locks) replies.push(await phase('try', branch(q.quoteId)));
    expect(replies.map((r) => r.outcome)).toEqual(['success', 'success', 'failure']);
    expect(codes(replies[2])).toEqual(['FLASH_SALE_MEMBER_LIMIT']);
  });

  it('answers bad commands with 400 naming the field', async () => {
    const res = await call<{ details: { field: string }[] }>(h.service, 'POST', '/internal/quote-locks/try', { gid: 'x', branchId: uuidv7(), quoteId: uuidv7(), channel: 'app' });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.field).sort()).toEqual(['deadline', 'gid']);
  });
});

describe('quote locks held past their deadline', () => {
  it('are released only on the coordinator\'s cancel decision; a confirming saga keeps its lock and a late Confirm confirms', async () => {
    const clock = new ManualClock(new Date());
    const answers = new Map<string, TccStatusAnswer | 'unreachable'>();
    const asked: string[][] = [];
    const alerts: string[] = [];
    const resolver = new HeldBranchResolver({
      store: new QuoteLockHolds(h.dataSource, h.service.app.get(QuoteLockService)),
      clock,
      observer: { alert: (b, why) => alerts.push(`${b.gid}: ${why}`) },
      coordinator: {
        statusOf: async (gids) => {
          asked.push([...gids]);
          if (gids.some((g) => answers.get(g) === 'unreachable')) throw new Error('connect ECONNREFUSED');
          return gids.flatMap((gid) => {
            const answer = answers.get(gid);
            return answer && answer !== 'unreachable' ? [answer] : [];
          });
        },
      },
    });
    const unpaid = branch((await quote()).quoteId);
    const paying = branch((await quote()).quoteId);
    // Earlier tests' locks run to now + 10 minutes; this one ends well before.
    const lockDeadline = new Date(Date.now() + 60_000);
    expect(await phase('try', unpaid, { deadline: lockDeadline.toISOString() })).toMatchObject({ outcome: 'success' });
    expect(await phase('try', paying, { deadline: lockDeadline.toISOString() })).toMatchObject({ outcome: 'success' });
    const held = await sold();

    // Before the deadline nobody is asked.
    clock.set(new Date(lockDeadline.getTime() - 1));
    expect(await resolver.resolveOnce()).toEqual({ asked: 0, released: 0, kept: 0 });

    // Past it, the coordinator cannot be reached: both locks stay, with an alert each.
    clock.set(new Date(lockDeadline.getTime() + 1));
    answers.set(unpaid.gid, 'unreachable');
    expect(await resolver.resolveOnce()).toMatchObject({ asked: 2, released: 0, kept: 2 });
    expect(alerts).toHaveLength(2);
    expect(await sold()).toBe(held);

    // Asked again after the retry delay: cancelled by its deadline for one, confirming for the other.
    clock.advance(5_000);
    answers.set(unpaid.gid, { gid: unpaid.gid, status: 'cancelling', cause: 'deadline' });
    answers.set(paying.gid, { gid: paying.gid, status: 'confirming' });
    expect(await resolver.resolveOnce()).toMatchObject({ asked: 2, released: 1, kept: 1 });
    expect(await sold()).toBe(held - 1);
    expect(await lockedBy(unpaid.quoteId)).toBeNull();
    expect(await lockedBy(paying.quoteId)).toBe(paying.gid);
    expect(codes(await phase('confirm', unpaid))).toEqual(['BRANCH_CANCELLED']);
    expect(await barrier(unpaid.gid)).toEqual(['cancel', 'try']);

    // The Confirm arrives long after the deadline: it still confirms, and nothing is asked again.
    clock.advance(60_000);
    expect(await phase('confirm', paying)).toMatchObject({ outcome: 'success' });
    expect(await resolver.resolveOnce()).toEqual({ asked: 0, released: 0, kept: 0 });
    expect(await sold()).toBe(held - 1);
    expect(asked.flat().filter((g) => g === paying.gid)).toHaveLength(2);
  });
});

describe('flash-sale cap under racing locks', () => {
  it('locks exactly 100 of 500 concurrent quote locks against a cap of 100', async () => {
    const rule = 'flash-race';
    await call(h.service, 'PUT', '/internal/base-prices/SKU-RACE', { amount: 9900 });
    const created = await call(h.service, 'POST', '/internal/rules', ruleBody({
      id: rule,
      kind: 'flash-sale',
      sku: 'SKU-RACE',
      salePrice: 990,
      quantityCap: 100,
      perMemberLimit: 1,
      effectiveFrom: new Date(Date.now() - hour).toISOString(),
      effectiveTo: new Date(Date.now() + hour).toISOString(),
    }));
    expect(created.status).toBe(201);
    // 500 buyers are each quoted the sale price while the whole cap is still free.
    const quotes: QuoteAnswer[] = [];
    for (let batch = 0; batch < 25; batch++) {
      const made = await Promise.all(
        Array.from({ length: 20 }, (_, i) => quote({ lines: [{ sku: 'SKU-RACE', quantity: 1 }], memberId: `race-${batch * 20 + i}` })),
      );
      quotes.push(...made);
    }
    expect(quotes.every((q) => q.total === 990 && q.flashSaleAllocations[0]?.units === 1)).toBe(true);

    const replies = await Promise.all(quotes.map((q) => phase('try', branch(q.quoteId))));
    const won = replies.filter((r) => r.outcome === 'success');
    const lost = replies.filter((r) => r.outcome === 'failure');
    expect(won).toHaveLength(100);
    expect(lost).toHaveLength(400);
    expect(lost.every((r) => codes(r).join() === 'FLASH_SALE_SOLD_OUT')).toBe(true);
    const [counter] = await h.dataSource.query('SELECT cap, sold FROM flash_sale_counters WHERE rule_id = $1', [rule]);
    expect(counter).toEqual({ cap: 100, sold: 100 });
    const [{ locked }] = await h.dataSource.query(
      `SELECT count(*)::int AS locked FROM quote_locks l JOIN quotes q ON q.id = l.quote_id WHERE l.status = 'locked' AND q.request->'lines'->0->>'sku' = 'SKU-RACE'`,
    );
    expect(locked).toBe(100);
    // A new quote sees the cap spent and prices at the list price.
    expect((await quote({ lines: [{ sku: 'SKU-RACE', quantity: 1 }] })).total).toBe(9900);
  });
});

describe('quote lock over Kafka', () => {
  const writer = () => new OutboxWriter(new TopicNames(h.topicPrefix));
  const send = async (command: Omit<PricingBranchRequestedEvent, 'schemaVersion' | 'occurredAt'>) => {
    // Queued in the service's own outbox: its relay publishes the command to Kafka like the order service's would.
    await h.dataSource.transaction((tx) => writer().add(tx, PRICING_BRANCH_REQUESTED, { schemaVersion: 1, occurredAt: new Date().toISOString(), ...command }));
  };
  const replies = async (gid: string): Promise<{ op: string; outcome: string; participant: string; reasons: { code: string }[] }[]> =>
    (await h.dataSource.query(`SELECT payload FROM ${OUTBOX_TABLE} WHERE topic = $1 AND payload->>'gid' = $2 ORDER BY seq`, [`${h.topicPrefix}tcc-branch-replied`, gid])).map(
      (r: { payload: never }) => r.payload,
    );

  it('runs Try (twice), Confirm, and an early Cancel of another branch from commands, replying on tcc-branch-replied', async () => {
    const q = await quote();
    const b = branch(q.quoteId);
    const before = await sold();
    await send({ ...b, op: 'try', deadline: deadline() });
    await send({ ...b, op: 'try', deadline: deadline() });
    await waitFor(async () => (await replies(b.gid)).length === 2, { timeoutMs: 60_000, what: 'two Try replies' });
    await send({ ...b, op: 'confirm', deadline: deadline() });
    const all = await waitFor(async () => {
      const found = await replies(b.gid);
      return found.length === 3 ? found : undefined;
    }, { timeoutMs: 30_000, what: 'the Confirm reply' });
    expect(all.map((r) => [r.op, r.outcome, r.participant])).toEqual([
      ['try', 'success', 'pricing'],
      ['try', 'success', 'pricing'],
      ['confirm', 'success', 'pricing'],
    ]);
    expect(await sold()).toBe(before + 1);
    expect(await barrier(b.gid)).toEqual(['confirm', 'try']);

    const early = branch((await quote()).quoteId);
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
  });
});
