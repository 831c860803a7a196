import { CouponTemplateDefinition } from '../rules/coupon-template.definition';
import { PriceRuleDefinition } from '../rules/price-rule.definition';
import { PriceBook } from '../prices/price-book.model';
import { PricingData } from '../quote/quote.engine';
import { QuoteInput, QuoteLineInput } from '../quote/quote.model';

/** Distributive Omit, so a builder keeps each rule kind's own fields. */
type OmitCommon<T> = T extends unknown ? Omit<T, 'version' | 'currency' | 'priority' | 'group' | 'name'> & Partial<T> : never;

/** A rule with test defaults: version 1, CNY, priority 0, group "promo", name = id. */
export function rule(fields: OmitCommon<PriceRuleDefinition>): PriceRuleDefinition {
  return { version: 1, currency: 'CNY', priority: 0, group: 'promo', name: fields.id, ...fields } as PriceRuleDefinition;
}

/** A coupon template with test defaults: version 1, CNY, valid all of 2026, every channel, stacks with nothing. */
export function coupon(
  fields: OmitCommon<CouponTemplateDefinition> extends infer T
    ? T extends unknown
      ? Omit<T, 'id' | 'validFrom' | 'validTo' | 'stacksWithGroups'> & Partial<CouponTemplateDefinition>
      : never
    : never,
): CouponTemplateDefinition {
  return {
    id: `tpl-${fields.code}`,
    version: 1,
    currency: 'CNY',
    name: fields.code,
    validFrom: '2026-01-01T00:00:00Z',
    validTo: '2027-01-01T00:00:00Z',
    stacksWithGroups: [],
    ...fields,
  } as CouponTemplateDefinition;
}

/** A CNY price book from { sku: baseAmount } plus optional channel entries. */
export function priceBook(base: Record<string, number>, channelPrices: PriceBook['channelPrices'] = []): PriceBook {
  return {
    currency: 'CNY',
    basePrices: Object.entries(base).map(([sku, amount]) => ({ sku, amount })),
    channelPrices,
  };
}

/** Pricing data with no rules and no coupons unless given. */
export function pricingData(book: PriceBook, rules: PriceRuleDefinition[] = [], couponTemplates: CouponTemplateDefinition[] = []): PricingData {
  return { priceBook: book, rules, couponTemplates };
}

/** A cart line; categories default to none. */
export function line(sku: string, quantity = 1, categoryIds: string[] = []): QuoteLineInput {
  return { sku, quantity, categoryIds };
}

/** The instant every test prices at unless it says otherwise. */
export const NOW = new Date('2026-11-11T12:00:00.000Z');

/** A quote input on channel "app" at NOW, overridable. */
export function quoteInput(lines: QuoteLineInput[], fields: Partial<QuoteInput> = {}): QuoteInput {
  return { channel: 'app', lines, couponCodes: [], now: NOW, ...fields };
}
