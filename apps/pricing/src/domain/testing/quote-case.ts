import { validateCouponTemplates, validatePriceRules } from '../rules/definition.validator';
import { CouponTemplateDefinition } from '../rules/coupon-template.definition';
import { PriceRuleDefinition } from '../rules/price-rule.definition';
import { ChannelPriceEntry } from '../prices/price-book.model';
import { QuoteEngine } from '../quote/quote.engine';
import { CouponRejectionReason, QuoteInput, QuoteLineInput } from '../quote/quote.model';
import { priceBook, pricingData } from './pricing.builders';

/** Base prices (minor units) shared by the table-driven suites. */
export const BASE_PRICES: Record<string, number> = {
  A: 10_000,
  B: 20_000,
  C: 32_100,
  D: 999,
  F: 45,
  G: 990,
  H: 50,
  P1: 29_999,
  P3: 30_000,
};

/** Categories of the shared SKUs. */
export const CATEGORIES: Record<string, string[]> = { A: ['shoes'], B: ['shirts'], C: ['shoes'], D: ['socks'] };

/** A cart line of a shared SKU, with its categories. */
export function l(sku: string, quantity = 1): QuoteLineInput {
  return { sku, quantity, categoryIds: CATEGORIES[sku] ?? [] };
}

/** One row of a table-driven quote suite: data, input, and the numbers worked out by hand. */
export interface QuoteCase {
  /** What the row shows. */
  name: string;
  /** Channel price-list entries. */
  channelPrices?: ChannelPriceEntry[];
  /** Price rules. */
  rules?: PriceRuleDefinition[];
  /** Coupon templates. */
  coupons?: CouponTemplateDefinition[];
  /** The request. */
  input: QuoteInput;
  /** Expected total. */
  total: number;
  /** Expected discount total. */
  discountTotal?: number;
  /** Expected unit price per line. */
  unitPrices?: number[];
  /** Expected discount amounts per line, in application order. */
  lineDiscounts?: number[][];
  /** Expected applied rule ids, in order. */
  applied?: string[];
  /** Expected rejected coupons as [code, reason]. */
  rejected?: [string, CouponRejectionReason][];
  /** Expected flash-sale allocations as [ruleId, sku, units]. */
  flash?: [string, string, number][];
  /** Expected explanation of the last applied rule. */
  explanation?: string;
}

/** Runs one table row: definitions must validate, and the quote must match every stated number. */
export function checkQuoteCase(row: QuoteCase): void {
  expect(validatePriceRules(row.rules ?? [])).toMatchObject({ ok: true });
  expect(validateCouponTemplates(row.coupons ?? [])).toMatchObject({ ok: true });
  const engine = new QuoteEngine(pricingData(priceBook(BASE_PRICES, row.channelPrices), row.rules, row.coupons));
  const outcome = engine.quote(row.input);
  if (!outcome.ok) throw new Error(`expected a quote, got ${JSON.stringify(outcome)}`);
  const quote = outcome.quote;
  expect(quote.total).toBe(row.total);
  expect(quote.subtotal - quote.discountTotal).toBe(quote.total);
  if (row.discountTotal !== undefined) expect(quote.discountTotal).toBe(row.discountTotal);
  if (row.unitPrices) expect(quote.lines.map((line) => line.unitPrice)).toEqual(row.unitPrices);
  if (row.lineDiscounts) expect(quote.lines.map((line) => line.discounts.map((d) => d.amount))).toEqual(row.lineDiscounts);
  if (row.applied) expect(quote.appliedRules.map((applied) => applied.ruleId)).toEqual(row.applied);
  if (row.rejected) expect(quote.rejectedCoupons.map((r) => [r.code, r.reason])).toEqual(row.rejected);
  if (row.flash) expect(quote.flashSaleAllocations.map((f) => [f.ruleId, f.sku, f.units])).toEqual(row.flash);
  if (row.explanation) expect(quote.appliedRules.at(-1)?.explanation).toBe(row.explanation);
}
