import fc from 'fast-check';
import { CouponTemplateDefinition } from '../rules/coupon-template.definition';
import { PriceRuleDefinition, RuleTargetDefinition } from '../rules/price-rule.definition';
import { ChannelPriceEntry, PriceBook } from '../prices/price-book.model';
import { QuoteInput } from '../quote/quote.model';

/** SKUs, categories, channels, tiers, groups and instants the generated data draws from. */
export const UNIVERSE = {
  skus: ['S0', 'S1', 'S2', 'S3', 'S4', 'S5'],
  categories: { S0: ['c1'], S1: ['c2'], S2: ['c1', 'c3'], S3: [], S4: ['c3'], S5: ['c2'] } as Record<string, string[]>,
  channels: ['app', 'tmall', 'jd'],
  tiers: ['gold', 'silver'],
  groups: ['g1', 'g2', 'g3'],
  stores: ['s1', 's2'],
  instants: ['2026-11-10T00:00:00.000Z', '2026-11-11T00:00:00.000Z', '2026-11-11T12:00:00.000Z', '2026-11-12T00:00:00.000Z'],
};

const some = <T>(values: T[]) => fc.subarray(values, { minLength: 1 });
const amount = (max: number) => fc.integer({ min: 0, max });

type Window = { effectiveFrom?: string; effectiveTo?: string };

/** A required [from, to) window over the universe's instants, or an optional one. */
function windowArb(required: true): fc.Arbitrary<Required<Window>>;
function windowArb(required: false): fc.Arbitrary<Window>;
function windowArb(required: boolean): fc.Arbitrary<Window> {
  const pair = fc
    .uniqueArray(fc.integer({ min: 0, max: UNIVERSE.instants.length - 1 }), { minLength: 2, maxLength: 2 })
    .map(([a, b]) => ({ effectiveFrom: UNIVERSE.instants[Math.min(a, b)], effectiveTo: UNIVERSE.instants[Math.max(a, b)] }));
  return required ? pair : fc.option(pair, { nil: undefined }).map((w) => w ?? {});
}

const targetArb: fc.Arbitrary<RuleTargetDefinition> = fc.oneof(
  some(UNIVERSE.skus).map((skus) => ({ skus })),
  some(['c1', 'c2', 'c3']).map((categoryIds) => ({ categoryIds })),
);

const conditionArb = fc.constantFrom<PriceRuleDefinition['conditions']>(
  undefined,
  { '>=': [{ var: 'subtotal' }, 30_000] },
  { in: [{ var: 'channel' }, ['app', 'jd']] },
  { some: [{ var: 'categoryIds' }, { in: [{ var: '' }, ['c1']] }] },
  { '!': [{ var: 'isMember' }] },
);

const prices = fc
  .uniqueArray(fc.constantFrom(...UNIVERSE.skus), { minLength: 1, maxLength: 3 })
  .chain((skus) => fc.tuple(...skus.map((sku) => amount(150_000).map((value) => ({ sku, amount: value })))));

const thresholds = fc
  .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 3 })
  .chain((steps) => {
    const mins = [...steps].sort((a, b) => a - b).map((step) => step * 5000);
    return fc.tuple(...mins.map((min) => fc.integer({ min: 1, max: min }))).map((discounts) => {
      const sorted = [...discounts].sort((a, b) => a - b);
      return mins.map((minSubtotal, index) => ({ minSubtotal, discount: sorted[index] }));
    });
  });

/** A valid rule of any kind (the id is assigned by rulesArb). */
const ruleBodyArb: fc.Arbitrary<Omit<PriceRuleDefinition, 'id'>> = fc
  .record({
    common: fc.record({
      version: fc.constant(1),
      name: fc.constant('generated'),
      priority: fc.integer({ min: -3, max: 3 }),
      group: fc.constantFrom(...UNIVERSE.groups),
      exclusive: fc.boolean(),
      currency: fc.constant('CNY'),
      conditions: conditionArb,
    }),
    body: fc.oneof(
      fc.record({ kind: fc.constant('channel-adjustment' as const), channels: some(UNIVERSE.channels), priceRatioBps: fc.integer({ min: 1, max: 20_000 }), w: windowArb(false) }),
      fc.record({ kind: fc.constant('special-price' as const), channels: some(UNIVERSE.channels), storeIds: fc.subarray(UNIVERSE.stores), prices, w: windowArb(false) }),
      fc.record({ kind: fc.constant('limited-time-price' as const), channels: some(UNIVERSE.channels), prices, w: windowArb(true) }),
      fc.record({ kind: fc.constant('member-tier-discount' as const), tiers: some(UNIVERSE.tiers), percentOffBps: fc.integer({ min: 1, max: 10_000 }), w: windowArb(false) }),
      fc.record({ kind: fc.constant('percent-off' as const), target: targetArb, percentOffBps: fc.integer({ min: 1, max: 10_000 }), w: windowArb(false) }),
      fc.record({ kind: fc.constant('spend-threshold' as const), thresholds, target: targetArb, w: windowArb(false) }),
      fc.record({ kind: fc.constant('buy-x-get-y' as const), target: targetArb, buyQuantity: fc.integer({ min: 1, max: 3 }), freeQuantity: fc.integer({ min: 1, max: 2 }), w: windowArb(false) }),
      fc.record({
        kind: fc.constant('flash-sale' as const),
        sku: fc.constantFrom(...UNIVERSE.skus),
        salePrice: amount(50_000),
        quantityCap: fc.integer({ min: 1, max: 10 }),
        perMemberLimit: fc.integer({ min: 1, max: 5 }),
        w: windowArb(true),
      }),
    ),
  })
  .map(({ common, body: { w, ...body } }) => {
    const { conditions, ...rest } = common;
    return { ...rest, ...(conditions ? { conditions } : {}), ...w, ...body } as Omit<PriceRuleDefinition, 'id'>;
  });

/** 0..12 valid rules with unique ids r0, r1, ... */
export const rulesArb: fc.Arbitrary<PriceRuleDefinition[]> = fc
  .array(ruleBodyArb, { maxLength: 12 })
  .map((bodies) => bodies.map((body, index) => ({ ...body, id: `r${index}` }) as PriceRuleDefinition));

/** 0..4 valid coupon templates with unique codes K0, K1, ... */
export const couponsArb: fc.Arbitrary<CouponTemplateDefinition[]> = fc
  .array(
    fc.record({
      channels: fc.option(some(UNIVERSE.channels), { nil: undefined }),
      target: fc.option(targetArb, { nil: undefined }),
      stacksWithGroups: fc.subarray(UNIVERSE.groups),
      window: windowArb(true),
      kind: fc.oneof(
        fc.record({ kind: fc.constant('cash' as const), amount: fc.integer({ min: 1, max: 50_000 }) }),
        fc.record({ kind: fc.constant('percent' as const), percentOffBps: fc.integer({ min: 1, max: 10_000 }), maxDiscount: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: undefined }) }),
        fc.record({ kind: fc.constant('threshold' as const), minSubtotal: fc.integer({ min: 1, max: 200_000 }), amount: fc.integer({ min: 1, max: 50_000 }) }),
      ),
    }),
    { maxLength: 4 },
  )
  .map((templates) =>
    templates.map(({ window, kind, channels, target, stacksWithGroups }, index) => {
      const body = Object.fromEntries(Object.entries(kind).filter(([, value]) => value !== undefined));
      return {
        id: `t${index}`,
        version: 1,
        code: `K${index}`,
        name: `coupon ${index}`,
        currency: 'CNY',
        validFrom: window.effectiveFrom,
        validTo: window.effectiveTo,
        stacksWithGroups,
        ...(channels ? { channels } : {}),
        ...(target ? { target } : {}),
        ...body,
      } as CouponTemplateDefinition;
    }),
  );

/** A CNY book: every SKU has a base price; some have channel entries, some windowed. */
export const bookArb: fc.Arbitrary<PriceBook> = fc
  .record({
    base: fc.tuple(...UNIVERSE.skus.map(() => amount(200_000))),
    channel: fc.array(
      fc.record({ sku: fc.constantFrom(...UNIVERSE.skus), channel: fc.constantFrom(...UNIVERSE.channels), amount: amount(200_000), w: windowArb(false) }),
      { maxLength: 6 },
    ),
  })
  .map(({ base, channel }) => ({
    currency: 'CNY',
    basePrices: UNIVERSE.skus.map((sku, index) => ({ sku, amount: base[index] })),
    channelPrices: channel.map(({ w, ...entry }) => ({ ...entry, ...w }) as ChannelPriceEntry),
  }));

/** A quote request over the universe. */
export const inputArb: fc.Arbitrary<QuoteInput> = fc
  .record({
    channel: fc.constantFrom(...UNIVERSE.channels),
    storeId: fc.option(fc.constantFrom(...UNIVERSE.stores), { nil: undefined }),
    memberTier: fc.option(fc.constantFrom(...UNIVERSE.tiers), { nil: undefined }),
    lines: fc.array(fc.record({ sku: fc.constantFrom(...UNIVERSE.skus), quantity: fc.integer({ min: 1, max: 7 }) }), { maxLength: 6 }),
    couponCodes: fc.subarray(['K0', 'K1', 'K2', 'K3', 'K0', 'NOPE']),
    now: fc.constantFrom(...UNIVERSE.instants, '2026-11-11T06:30:00.000Z'),
    usage: fc.dictionary(
      fc.constantFrom(...Array.from({ length: 12 }, (_, index) => `r${index}`)),
      fc.record({ remainingCap: fc.integer({ min: 0, max: 10 }), memberPurchased: fc.integer({ min: 0, max: 5 }) }),
    ),
  })
  .map(({ storeId, memberTier, lines, now, usage, ...rest }) => ({
    ...rest,
    ...(storeId ? { storeId } : {}),
    ...(memberTier ? { memberTier, memberId: 'member-1' } : {}),
    lines: lines.map((line) => ({ ...line, categoryIds: UNIVERSE.categories[line.sku] })),
    now: new Date(now),
    flashSaleUsage: usage,
  }));

/** A deterministic shuffle driven by `seed` (so fast-check can shrink and replay it). */
export function shuffle<T>(values: readonly T[], seed: number): T[] {
  const copy = [...values];
  let state = seed >>> 0 || 1;
  for (let index = copy.length - 1; index > 0; index--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}
