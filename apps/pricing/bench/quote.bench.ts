// Quotes per second for a 10-line cart against 50 active rules (every kind, some with JsonLogic
// conditions) and two coupons, priced by one QuoteEngine as the service would hold it.
import { loadavg } from 'node:os';
import { validateCouponTemplates, validatePriceRules } from '../src/domain/rules/definition.validator';
import { CouponTemplateDefinition } from '../src/domain/rules/coupon-template.definition';
import { PriceRuleDefinition } from '../src/domain/rules/price-rule.definition';
import { QuoteEngine } from '../src/domain/quote/quote.engine';
import { QuoteInput } from '../src/domain/quote/quote.model';

const NOW = new Date('2026-11-11T12:00:00.000Z');
const WINDOW = { effectiveFrom: '2026-11-11T00:00:00Z', effectiveTo: '2026-11-12T00:00:00Z' };
const SKU_COUNT = 1000;
const sku = (index: number) => `SKU-${String(index % SKU_COUNT).padStart(4, '0')}`;
const categoryOf = (index: number) => [`cat-${index % 20}`, `dept-${index % 4}`];

/** What the benchmark measured. */
export interface QuoteBenchResult {
  /** Wall-clock throughput of one thread (depressed when other work shares the cores). */
  quotesPerSecond: number;
  /** Throughput per second of CPU time used by this process: steadier on a busy machine. */
  quotesPerCpuSecond: number;
  /** Mean wall-clock time of one quote. */
  meanMicrosPerQuote: number;
  /** One-minute load average when the run ended. */
  loadAverage: number;
  /** Quotes priced in the measured run. */
  quotes: number;
  /** Length of the measured run. */
  seconds: number;
  /** Lines per cart. */
  cartLines: number;
  /** Rules in force at the priced instant. */
  activeRules: number;
  /** How many rules and coupons a quote applied on average (shows the rules do work). */
  meanAppliedRulesPerQuote: number;
}

/** 50 valid rules, all in force at NOW: 8 kinds, spread over channels, tiers and categories. */
export function benchRules(): PriceRuleDefinition[] {
  const common = (id: string, priority: number, group: string) => ({ id, version: 1, name: id, priority, group, currency: 'CNY' });
  const rules: PriceRuleDefinition[] = [];
  for (let i = 0; i < 5; i++) {
    rules.push({ ...common(`chan-${i}`, i, 'channel'), kind: 'channel-adjustment', channels: [['app', 'tmall', 'jd', 'web', 'pos'][i]], priceRatioBps: 9000 + i * 100 });
    rules.push({ ...common(`special-${i}`, 1, 'store'), kind: 'special-price', channels: ['app'], prices: [{ sku: sku(i * 7), amount: 5000 + i }] });
    rules.push({ ...common(`ltp-${i}`, 2, 'ltp'), kind: 'limited-time-price', ...WINDOW, prices: [{ sku: sku(i * 11 + 1), amount: 4000 + i }] });
    rules.push({ ...common(`tier-${i}`, 10, `member-${i % 2}`), kind: 'member-tier-discount', tiers: [['gold', 'silver', 'platinum'][i % 3]], percentOffBps: 200 + i * 50, target: { categoryIds: [`dept-${i % 4}`] } });
    rules.push({ ...common(`flash-${i}`, 100, 'flash'), kind: 'flash-sale', ...WINDOW, sku: sku(i * 13 + 2), salePrice: 990, quantityCap: 100, perMemberLimit: 2 });
  }
  for (let i = 0; i < 10; i++) {
    rules.push({
      ...common(`pct-${i}`, 5 - (i % 3), `promo-${i % 3}`),
      kind: 'percent-off',
      target: { categoryIds: [`cat-${i * 2}`] },
      percentOffBps: 500 + i * 100,
      ...(i % 2 === 0 ? { conditions: { in: [{ var: 'channel' }, ['app', 'web']] } } : {}),
    });
  }
  for (let i = 0; i < 8; i++) {
    rules.push({
      ...common(`spend-${i}`, -i, `order-${i % 2}`),
      kind: 'spend-threshold',
      thresholds: [
        { minSubtotal: 10_000 * (i + 1), discount: 500 * (i + 1) },
        { minSubtotal: 30_000 * (i + 1), discount: 2000 * (i + 1) },
        { minSubtotal: 60_000 * (i + 1), discount: 5000 * (i + 1) },
      ],
      ...(i % 2 === 1 ? { target: { categoryIds: [`dept-${i % 4}`] } } : {}),
      ...(i % 3 === 0 ? { conditions: { and: [{ '>=': [{ var: 'itemCount' }, 3] }, { some: [{ var: 'categoryIds' }, { in: [{ var: '' }, ['cat-1', 'cat-3']] }] }] } } : {}),
    });
  }
  for (let i = 0; i < 7; i++) {
    rules.push({ ...common(`b2g1-${i}`, 3, 'multibuy'), kind: 'buy-x-get-y', target: { categoryIds: [`cat-${i * 3 + 1}`] }, buyQuantity: 2, freeQuantity: 1 });
  }
  return rules;
}

/** Two coupons the bench carts use. */
export function benchCoupons(): CouponTemplateDefinition[] {
  const base = { version: 1, currency: 'CNY', validFrom: '2026-11-01T00:00:00Z', validTo: '2026-12-01T00:00:00Z' };
  return [
    { ...base, id: 'tpl-c20', code: 'C20', name: '20 off', kind: 'cash', amount: 2000, stacksWithGroups: ['order-0', 'order-1', 'channel'] },
    { ...base, id: 'tpl-p10', code: 'P10', name: '10% off', kind: 'percent', percentOffBps: 1000, maxDiscount: 5000, stacksWithGroups: ['member-0', 'member-1', 'promo-0'] },
  ];
}

/** Twenty different 10-line carts, so no run prices the same cart twice in a row. */
function benchCarts(): QuoteInput[] {
  return Array.from({ length: 20 }, (_, cart) => ({
    channel: cart % 4 === 0 ? 'tmall' : 'app',
    memberTier: ['gold', 'silver', 'platinum'][cart % 3],
    memberId: `member-${cart}`,
    lines: Array.from({ length: 10 }, (_, line) => {
      const index = cart * 37 + line * 7;
      return { sku: sku(index), quantity: 1 + ((cart + line) % 4), categoryIds: categoryOf(index) };
    }),
    couponCodes: ['P10', 'C20'],
    now: NOW,
  }));
}

/** Runs the benchmark for about `seconds` after a warm-up and reports quotes per second. */
export async function runQuoteBench(options: { seconds?: number } = {}): Promise<QuoteBenchResult> {
  const seconds = options.seconds ?? 3;
  const rules = validatePriceRules(benchRules());
  const coupons = validateCouponTemplates(benchCoupons());
  if (!rules.ok || !coupons.ok) throw new Error(`bench definitions are invalid: ${JSON.stringify([rules, coupons])}`);
  const basePrices = Array.from({ length: SKU_COUNT }, (_, index) => ({ sku: sku(index), amount: 1000 + ((index * 7919) % 90_000) }));
  const channelPrices = Array.from({ length: 200 }, (_, index) => ({ sku: sku(index * 5), channel: 'tmall', amount: 900 + index }));
  const engine = new QuoteEngine({ priceBook: { currency: 'CNY', basePrices, channelPrices }, rules: rules.value, couponTemplates: coupons.value });
  const activeRules = engine.activeRules(NOW).length;
  const carts = benchCarts();
  for (let i = 0; i < 2000; i++) engine.quote(carts[i % carts.length]);

  let quotes = 0;
  let applied = 0;
  const cpuStarted = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let now = started;
  while (now < deadline) {
    for (let i = 0; i < 100; i++) {
      const outcome = engine.quote(carts[quotes % carts.length]);
      if (!outcome.ok) throw new Error('bench cart has an unpriced SKU');
      applied += outcome.quote.appliedRules.length;
      quotes++;
    }
    now = process.hrtime.bigint();
  }
  const elapsed = Number(now - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    quotesPerSecond: Math.round(quotes / elapsed),
    quotesPerCpuSecond: Math.round(quotes / cpuSeconds),
    meanMicrosPerQuote: Math.round((elapsed / quotes) * 1e6 * 10) / 10,
    quotes,
    seconds: Math.round(elapsed * 100) / 100,
    cartLines: carts[0].lines.length,
    activeRules,
    meanAppliedRulesPerQuote: Math.round((applied / quotes) * 10) / 10,
    loadAverage: Math.round(loadavg()[0] * 10) / 10,
  };
}

if (require.main === module) {
  runQuoteBench().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
