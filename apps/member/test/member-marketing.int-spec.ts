import { COUPON_ISSUED } from '@omni/contracts';
import { OUTBOX_TABLE } from '@omni/messaging';
import type { TestService } from '@omni/platform';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MarketingService } from '../src/marketing/marketing.service';
import { call, registerMember, startMember, startMemberReplica, type MemberHarness } from './member.harness';

// Scheduled member marketing on the real service and Postgres: member-day and birthday coupons
// from pricing's templates, exactly one per member and occasion when the job runs twice in a row
// and when two replicas (two Nest apps on one database) run it at the same moment.
jest.setTimeout(180_000);

const MEMBER_DAY = '2026-12-18T10:00:00.000Z';
const TEMPLATES: Record<string, object> = {
  'member-day-tpl': { code: 'MEMBER-DAY-20', channels: ['app', 'pos'] },
  'birthday-tpl': { code: 'BIRTHDAY-50', channels: [] },
};

let pricing: Server;
let h: MemberHarness;
let replica: TestService;

beforeAll(async () => {
  // Pricing's template route, as pricing answers it (GET /internal/coupon-templates/:id).
  pricing = createServer((req, res) => {
    const id = decodeURIComponent(req.url?.split('/').pop() ?? '');
    const extra = TEMPLATES[id];
    res.setHeader('content-type', 'application/json');
    if (!extra) {
      res.statusCode = 404;
      res.end(JSON.stringify({ code: 'NOT_FOUND' }));
      return;
    }
    res.end(JSON.stringify({ id, kind: 'cash', version: 1, enabled: true, definition: { id, version: 1, validFrom: '2026-01-01T00:00:00.000Z', validTo: '2028-01-01T00:00:00.000Z', ...extra } }));
  });
  await new Promise<void>((resolve) => pricing.listen(0, '127.0.0.1', resolve));
  const env = {
    MEMBER_PRICING_URL: `http://127.0.0.1:${(pricing.address() as AddressInfo).port}`,
    MEMBER_DAY_TEMPLATE_ID: 'member-day-tpl',
    MEMBER_BIRTHDAY_TEMPLATE_ID: 'birthday-tpl',
    MEMBER_DAY_OF_MONTH: '18',
  };
  h = await startMember('marketing', env);
  replica = await startMemberReplica(h.db, h.topicPrefix, env);
});
afterAll(async () => {
  await replica?.close();
  await h?.close();
  await new Promise((resolve) => pricing?.close(resolve));
});

/** Coupons per occasion key (one key per member and occasion) and the coupon-issued events queued. */
const tally = async () => {
  const perKey = await h.dataSource.query(`SELECT occasion_key, count(*)::int AS n FROM coupons WHERE occasion_key IS NOT NULL GROUP BY occasion_key`);
  const [events] = await h.dataSource.query(`SELECT count(*)::int AS n FROM ${OUTBOX_TABLE} WHERE topic = $1`, [`${h.topicPrefix}${COUPON_ISSUED.topic}`]);
  return { perKey: perKey as { occasion_key: string; n: number }[], events: events.n as number };
};

it('issues one member-day coupon per member and one birthday coupon per member born this month, however often and wherever the job runs', async () => {
  const december = await Promise.all(Array.from({ length: 6 }, (_, i) => registerMember(h.service, { birthDate: `199${i}-12-0${i + 1}` })));
  const june = await Promise.all(Array.from({ length: 4 }, (_, i) => registerMember(h.service, { birthDate: `198${i}-06-1${i}` })));
  const unknown = await Promise.all(Array.from({ length: 5 }, () => registerMember(h.service)));
  const everyone = [...december, ...june, ...unknown];
  const jobs = [h.service.app.get(MarketingService), replica.app.get(MarketingService)];

  // The job twice in a row: the second issues nothing.
  const first = await jobs[0].run(new Date(MEMBER_DAY));
  expect(first).toEqual([
    { occasion: 'member-day:2026-12', templateId: 'member-day-tpl', issued: everyone.length },
    { occasion: 'birthday:2026', templateId: 'birthday-tpl', issued: december.length },
  ]);
  expect((await jobs[0].run(new Date(MEMBER_DAY))).map((r) => r.issued)).toEqual([0, 0]);

  // New members, then both replicas at once, three times each: every new member gets exactly one of each.
  const late = await Promise.all(Array.from({ length: 8 }, (_, i) => registerMember(h.service, { birthDate: `2000-12-${10 + i}` })));
  const runs = await Promise.all([0, 1, 0, 1, 0, 1].map((j) => jobs[j].run(new Date(MEMBER_DAY))));
  const issued = runs.reduce((sum, run) => sum + run[0].issued + run[1].issued, 0);
  expect(issued).toBe(late.length * 2);

  const { perKey, events } = await tally();
  expect(perKey.every((row) => row.n === 1)).toBe(true);
  const keys = new Set(perKey.map((row) => row.occasion_key));
  for (const id of [...everyone, ...late]) expect(keys.has(`member-day:2026-12:${id}`)).toBe(true);
  for (const id of [...december, ...late]) expect(keys.has(`birthday:2026:${id}`)).toBe(true);
  for (const id of [...june, ...unknown]) expect(keys.has(`birthday:2026:${id}`)).toBe(false);
  expect(perKey).toHaveLength(everyone.length + late.length + december.length + late.length);
  // One coupon-issued per coupon: the runs that found a coupon already issued announced nothing.
  expect(events).toBe(perKey.length);

  // The wallet shows the member-day coupon with the template's code, valid on member day only.
  const wallet = (await call<{ code: string; channels: string[]; validFrom: string; validTo: string }[]>(h.service, 'GET', `/internal/members/${june[0]}/coupons`)).body;
  expect(wallet).toEqual([
    expect.objectContaining({ code: 'MEMBER-DAY-20', channels: ['app', 'pos'], validFrom: '2026-12-18T00:00:00.000Z', validTo: '2026-12-19T00:00:00.000Z', status: 'available' }),
  ]);
});

it('issues nothing on another day but the birthday month, and says why a missing template issues nothing', async () => {
  const runs = await h.service.app.get(MarketingService).run(new Date('2026-12-20T10:00:00.000Z'));
  expect(runs).toEqual([{ occasion: 'birthday:2026', templateId: 'birthday-tpl', issued: 0 }]);
  // Over HTTP too (the ops trigger): a bad time is a 400 naming the field.
  expect((await call(h.service, 'POST', '/internal/marketing/run', { at: 'tomorrow' })).status).toBe(400);
  const delete_ = TEMPLATES['birthday-tpl'];
  delete TEMPLATES['birthday-tpl'];
  try {
    const res = await call<unknown[]>(h.service, 'POST', '/internal/marketing/run', { at: '2026-12-20T10:00:00.000Z' });
    expect(res.body).toEqual([{ occasion: 'birthday:2026', templateId: 'birthday-tpl', issued: 0, skipped: 'TEMPLATE_NOT_AVAILABLE' }]);
  } finally {
    TEMPLATES['birthday-tpl'] = delete_;
  }
});

it('keeps the birth date in member: registration refuses a malformed one, and no event carries it', async () => {
  expect((await call(h.service, 'POST', '/internal/members', { channel: 'app', account: { kind: 'app', accountId: 'bd-bad' }, birthDate: '1990-13-45' })).status).toBe(400);
  const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM ${OUTBOX_TABLE} WHERE payload::text ~ '(199[0-9]|198[0-9]|2000)-(12|06)-[0-9]{2}'`);
  expect(n).toBe(0);
});
