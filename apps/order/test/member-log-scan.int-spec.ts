import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueId, waitFor } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { get, orderBody, post, SagaWorld, ServiceProcess } from './saga.harness';
import { serviceAuthHeaders } from '@omni/platform/testing';

// Personal data never reaches a log: inventory, order, pricing and member run as processes at log
// level info (as deployed), members register with a phone, a name and a birth date, are looked up,
// linked, sent bad input, spend points on a paid order and get their birthday coupon from the
// scheduled job; then every line every service wrote is searched for those phones (as typed and
// normalised), names and birth dates.
jest.setTimeout(600_000);

const world = new SagaWorld('member_logs');
const logDir = mkdtempSync(join(tmpdir(), 'member-logs-'));
let inventory: ServiceProcess;
let order: ServiceProcess;
let pricing: ServiceProcess;
let member: ServiceProcess;
const SKU = uniqueId('LOG').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40);
const thisMonth = String(new Date().getUTCMonth() + 1).padStart(2, '0');

/** The test members' personal data: distinctive, so a hit is theirs and never a timestamp or an id. */
const PEOPLE = [
  { phone: '+86 139 4721 8856', digits: '8613947218856', name: 'Zhuge Lingyun', birthDate: `1987-${thisMonth}-03` },
  { phone: '(021) 6283-7419', digits: '02162837419', name: 'Ouyang Qiuhe', birthDate: `1993-${thisMonth}-21` },
  { phone: '13771924638', digits: '13771924638', name: 'Shangguan Wanru', birthDate: '1979-02-28' },
];

beforeAll(async () => {
  world.logDir = logDir;
  await world.init();
  await Promise.all([world.initPricing(), world.initMember()]);
  inventory = await world.startInventory({ LOG_LEVEL: 'info' });
  order = await world.startOrder({ LOG_LEVEL: 'info', ORDER_PAYMENT_WINDOW_MS: '60000', ORDER_DECISION_WAIT_MS: '4000', ORDER_INVENTORY_URL: inventory.url });
  pricing = await world.startPricing({ LOG_LEVEL: 'info', PRICING_CHANNELS: 'app' });
  member = await world.startMember({ LOG_LEVEL: 'info', MEMBER_PRICING_URL: pricing.url, MEMBER_BIRTHDAY_TEMPLATE_ID: 'birthday-log', MEMBER_MARKETING_INTERVAL_MS: '0' });
  const p = world.topicPrefix;
  await world.consumersJoined([`${p}order`, `${p}inventory`, `${p}pricing`, `${p}member`]);
  await world.seed(inventory, { [SKU]: 5 });
  expect((await fetch(`${pricing.url}/internal/base-prices/${SKU}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...serviceAuthHeaders('pricing') }, body: JSON.stringify({ amount: 3000 }) })).status).toBeLessThan(300);
  const template = { id: 'birthday-log', code: 'HAPPY-BDAY', name: 'Birthday', kind: 'cash', currency: 'CNY', amount: 500, validFrom: '2026-01-01T00:00:00Z', validTo: '2099-01-01T00:00:00Z', stacksWithGroups: [] };
  expect((await post(pricing.url, '/internal/coupon-templates', template)).status).toBe(201);
});

afterAll(async () => {
  await world.close();
  rmSync(logDir, { recursive: true, force: true });
});

it('writes no phone number, name or birth date of a member to any service log', async () => {
  const ids: string[] = [];
  for (const person of PEOPLE) {
    const reg = await post(member.url, '/internal/members', { channel: 'app', account: { kind: 'app', accountId: uniqueId('acct') }, phone: person.phone, name: person.name, birthDate: person.birthDate });
    expect(reg.status).toBe(201);
    ids.push(String(reg.body.memberId));
    // The same phone at a store till finds the same member; a link of the store phone changes nothing.
    expect((await post(member.url, '/internal/members/lookup', { phone: person.phone })).body).toEqual({ memberId: reg.body.memberId });
    expect((await post(member.url, `/internal/members/${String(reg.body.memberId)}/accounts`, { kind: 'store-phone', accountId: person.phone })).status).toBeLessThan(300);
    // Bad input carrying personal data: refused, and the refusal is logged without it.
    expect((await post(member.url, '/internal/members', { channel: 'app', account: { kind: 'app', accountId: uniqueId('acct') }, phone: `${person.phone}x`, name: person.name })).status).toBe(400);
    expect((await post(member.url, '/internal/members', { channel: 'app', account: { kind: 'app', accountId: uniqueId('acct') }, phone: person.phone, name: person.name, birthDate: `${person.birthDate}T` })).status).toBe(400);
  }
  expect((await get(member.url, `/internal/members/${ids[0]}`)).body).toMatchObject({ name: PEOPLE[0].name });
  // A member order through the saga: points frozen, the order paid, points spent and earned.
  expect((await post(member.url, `/internal/members/${ids[0]}/points/earn`, { orderId: uuidv7(), channel: 'app', paidAmount: 50_000 })).status).toBe(200);
  const placed = await post(order.url, '/orders', { ...orderBody('app', SKU, 1, world.locationId, 3000), buyer: { memberId: ids[0], anonymous: false }, points: { points: 100, value: 100 } }, { 'idempotency-key': uuidv7() });
  expect([201, 202]).toContain(placed.status);
  const reserved = await waitFor(async () => {
    const o = (await get(order.url, `/orders/${String(placed.body.id)}`)).body as { id: string; status: string; payable: number; currency: string };
    return o.status === 'reserved' ? o : undefined;
  }, { timeoutMs: 60_000, what: 'the member order to be reserved' });
  expect((await world.pay(order.url, reserved)).status).toBe(200);
  await waitFor(async () => (await get(member.url, `/internal/members/${ids[0]}/points`)).body.balance === 500 - 100 + 29, { timeoutMs: 60_000, what: 'points spent and earned' });
  // The scheduled job's birthday coupons (this month's birthdays), run as the schedule runs it.
  const runs = (await post(member.url, '/internal/marketing/run', {})).body as unknown as { issued: number }[];
  expect(runs).toEqual([expect.objectContaining({ occasion: expect.stringMatching(/^birthday:/), issued: 2 })]);

  // Give the relays and consumers a moment to log what they do with these events.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const logs = Object.fromEntries(readdirSync(logDir).map((file) => [file, readFileSync(join(logDir, file), 'utf8')]));
  expect(Object.keys(logs).sort()).toEqual(['inventory.log', 'member.log', 'order.log', 'pricing.log']);
  // Member logged its requests (so the scan reads real output, not an empty file).
  expect(logs['member.log']).toMatch(/internal\/members/);
  const secrets = PEOPLE.flatMap((p) => [p.phone, p.digits, p.digits.slice(-8), p.name, ...p.name.split(' '), p.birthDate]);
  const found = Object.entries(logs).flatMap(([file, text]) => {
    const flat = text.replace(/[\s()+-]/g, '');
    return secrets.filter((secret) => text.includes(secret) || flat.includes(secret.replace(/[\s()+-]/g, ''))).map((secret) => `${file}: ${secret}`);
  });
  expect(found).toEqual([]);
});
