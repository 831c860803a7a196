import { sampleEvents, TIER_CHANGED, type TierChangedEvent } from '@omni/contracts';
import { INBOX_TABLE, OutboxWriter, TopicNames } from '@omni/messaging';
import { waitFor } from '@omni/testing';
import { v7 as uuidv7 } from 'uuid';
import { call, ruleBody, startPricing, type PricingHarness } from './pricing.harness';

// Tier prices in quotes come from pricing's projection of member's tier-changed (over Kafka), never
// from the caller: after an upgrade to gold the member's quote has the gold price; a stale event
// (a lower tier version, delivered late) does not downgrade; a caller cannot name a tier.
jest.setTimeout(180_000);

let h: PricingHarness;

beforeAll(async () => {
  h = await startPricing('tiers');
  expect((await call(h.service, 'PUT', '/internal/base-prices/SKU-TIER', { amount: 10_000 })).status).toBe(200);
  expect((await call(h.service, 'POST', '/internal/rules', ruleBody({ id: 'gold-10', kind: 'member-tier-discount', tiers: ['gold'], percentOffBps: 1_000 }))).status).toBe(201);
  expect((await call(h.service, 'POST', '/internal/rules', ruleBody({ id: 'silver-5', kind: 'member-tier-discount', tiers: ['silver'], percentOffBps: 500 }))).status).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

/** Publishes tier-changed as member's relay would (through an outbox, onto the suite's topic), and waits until pricing consumed it. */
const tierChanged = async (memberId: string, toTier: string, tierVersion: number): Promise<void> => {
  const event = sampleEvents.tierChanged({ memberId, fromTier: 'regular', toTier, tierVersion }) as TierChangedEvent;
  const id = await h.dataSource.transaction((tx) => new OutboxWriter(new TopicNames(h.topicPrefix)).add(tx, TIER_CHANGED, event));
  await waitFor(async () => (await h.dataSource.query(`SELECT 1 FROM ${INBOX_TABLE} WHERE event_id = $1`, [id])).length === 1, { timeoutMs: 90_000, intervalMs: 100, what: 'tier-changed to be consumed' });
};
const quoteTotal = async (body: Record<string, unknown>) => {
  const res = await call<{ total: number }>(h.service, 'POST', '/internal/quotes', { channel: 'app', lines: [{ sku: 'SKU-TIER', quantity: 1 }], ...body });
  expect(res.status).toBe(201);
  return res.body.total;
};

it('prices a member at the tier pricing last heard of, and a stale tier-changed does not downgrade', async () => {
  const memberId = uuidv7();
  expect(await quoteTotal({ memberId })).toBe(10_000);
  await tierChanged(memberId, 'gold', 2);
  expect(await quoteTotal({ memberId })).toBe(9_000);
  // Version 1 (silver) arrives late: gold stays.
  await tierChanged(memberId, 'silver', 1);
  expect(await quoteTotal({ memberId })).toBe(9_000);
  const [row] = await h.dataSource.query('SELECT tier, tier_version FROM member_tiers WHERE member_id = $1', [memberId]);
  expect(row).toEqual({ tier: 'gold', tier_version: 2 });
  // A newer downgrade does apply; anonymous buyers and other members get no tier price.
  await tierChanged(memberId, 'silver', 3);
  expect(await quoteTotal({ memberId })).toBe(9_500);
  expect(await quoteTotal({})).toBe(10_000);
  expect(await quoteTotal({ memberId: uuidv7() })).toBe(10_000);
});

it('refuses a tier named by the caller', async () => {
  const res = await call<{ details: { field: string }[] }>(h.service, 'POST', '/internal/quotes', { channel: 'app', memberId: uuidv7(), memberTier: 'gold', lines: [{ sku: 'SKU-TIER', quantity: 1 }] });
  expect(res.status).toBe(400);
  expect(res.body.details.map((d) => d.field)).toContain('memberTier');
});

it('never lets a malformed tier-changed (no tier version) reach the projection', async () => {
  const memberId = uuidv7();
  // tierVersion 0 is not a version: the contract refuses it before the projection sees it.
  const bad = { ...sampleEvents.tierChanged({ memberId, toTier: 'gold' }), tierVersion: 0 } as TierChangedEvent;
  await expect(h.dataSource.transaction((tx) => new OutboxWriter(new TopicNames(h.topicPrefix)).add(tx, TIER_CHANGED, bad))).rejects.toThrow(/tierVersion/);
  expect(await quoteTotal({ memberId })).toBe(10_000);
});
