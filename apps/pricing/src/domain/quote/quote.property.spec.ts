import fc from 'fast-check';
import { validateCouponTemplates, validatePriceRules } from '../rules/definition.validator';
import { bookArb, couponsArb, inputArb, rulesArb, shuffle } from '../testing/pricing.arbitraries';
import { QuoteEngine } from './quote.engine';
import { Quote } from './quote.model';

const scenarioArb = fc.record({ book: bookArb, rules: rulesArb, coupons: couponsArb, input: inputArb });
const RUNS = { numRuns: 300 };

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function quoteOf(scenario: Scenario): Quote {
  const outcome = new QuoteEngine({ priceBook: scenario.book, rules: scenario.rules, couponTemplates: scenario.coupons }).quote(scenario.input);
  if (!outcome.ok) throw new Error(`every generated SKU is priced, got ${JSON.stringify(outcome)}`);
  return outcome.quote;
}

describe('quote properties', () => {
  it('generated definitions are valid, so the properties cover real rule sets', () => {
    fc.assert(
      fc.property(rulesArb, couponsArb, (rules, coupons) => {
        expect(validatePriceRules(rules)).toMatchObject({ ok: true });
        expect(validateCouponTemplates(coupons)).toMatchObject({ ok: true });
      }),
      { numRuns: 100 },
    );
  });

  it('is never negative, discounts never exceed the subtotal, and the parts sum to the totals', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const quote = quoteOf(scenario);
        expect(quote.total).toBeGreaterThanOrEqual(0);
        expect(quote.discountTotal).toBeLessThanOrEqual(quote.subtotal);
        expect(quote.total).toBe(quote.subtotal - quote.discountTotal);
        expect(quote.lines.reduce((sum, line) => sum + line.finalLineTotal, 0)).toBe(quote.total);
        expect(quote.lines.reduce((sum, line) => sum + line.lineSubtotal, 0)).toBe(quote.subtotal);
        for (const line of quote.lines) {
          expect(line.unitPrice).toBeGreaterThanOrEqual(0);
          expect(line.lineSubtotal).toBe(line.unitPrice * line.quantity);
          expect(line.finalLineTotal).toBeGreaterThanOrEqual(0);
          expect(line.discountTotal).toBe(line.discounts.reduce((sum, discount) => sum + discount.amount, 0));
          expect(line.finalLineTotal).toBe(line.lineSubtotal - line.discountTotal);
          for (const discount of line.discounts) expect(Number.isSafeInteger(discount.amount) && discount.amount > 0).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("each applied discount equals the sum of its lines' shares", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const quote = quoteOf(scenario);
        const shares = new Map<string, number>();
        for (const line of quote.lines) {
          for (const discount of line.discounts) shares.set(discount.ruleId, (shares.get(discount.ruleId) ?? 0) + discount.amount);
        }
        const discountRules = quote.appliedRules.filter((applied) => shares.has(applied.ruleId));
        expect(Object.fromEntries(discountRules.map((applied) => [applied.ruleId, applied.amount]))).toEqual(Object.fromEntries(shares));
        expect(discountRules.reduce((sum, applied) => sum + applied.amount, 0)).toBe(quote.discountTotal);
      }),
      RUNS,
    );
  });

  it('gives the same quote for the same input', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        expect(quoteOf(structuredClone(scenario))).toEqual(quoteOf(scenario));
      }),
      RUNS,
    );
  });

  it('does not depend on the order of rules, price entries, coupon templates or coupon codes', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (scenario, seed) => {
        const permuted: Scenario = {
          book: { ...scenario.book, basePrices: shuffle(scenario.book.basePrices, seed), channelPrices: shuffle(scenario.book.channelPrices, seed + 1) },
          rules: shuffle(scenario.rules, seed + 2),
          coupons: shuffle(scenario.coupons, seed + 3),
          input: { ...scenario.input, couponCodes: shuffle(scenario.input.couponCodes, seed + 4) },
        };
        expect(quoteOf(permuted)).toEqual(quoteOf(scenario));
      }),
      RUNS,
    );
  });

  it('never sells more flash-sale units than the remaining cap and member limit allow', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const quote = quoteOf(scenario);
        for (const allocation of quote.flashSaleAllocations) {
          const definition = scenario.rules.find((rule) => rule.id === allocation.ruleId);
          if (definition?.kind !== 'flash-sale') throw new Error('allocation without a flash-sale rule');
          const usage = scenario.input.flashSaleUsage?.[allocation.ruleId] ?? { remainingCap: definition.quantityCap, memberPurchased: 0 };
          expect(allocation.units).toBeGreaterThan(0);
          expect(allocation.units).toBeLessThanOrEqual(usage.remainingCap);
          expect(allocation.units).toBeLessThanOrEqual(definition.perMemberLimit - usage.memberPurchased);
        }
      }),
      RUNS,
    );
  });
});
