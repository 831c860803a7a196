import { assertMinorUnits } from '../money/money.value';
import { compilePriceBook, CompiledPriceBook, PriceBook } from '../prices/price-book.model';
import { PriceContext, resolveListPrice, resolveUnitPrice, ResolvedUnitPrice } from '../prices/price.resolver';
import { PricingDomainError } from '../pricing.error';
import { compareIds, compileCoupons, compileRules, CompiledCoupon, CompiledRule, inWindow, selectActiveRules } from '../rules/rule.compiler';
import { QuoteFacts } from '../rules/condition.evaluator';
import { DefinitionValidation, validateCouponTemplates, validatePriceRules } from '../rules/definition.validator';
import { CouponTemplateDefinition } from '../rules/coupon-template.definition';
import { PRICE_STAGE_KINDS, PriceRuleDefinition, RuleKind } from '../rules/price-rule.definition';
import { applyCoupons } from './coupon.stage';
import { applyDiscountRules } from './discount.stage';
import { AppliedRule, Quote, QuoteInput, QuoteLine, QuoteOutcome } from './quote.model';
import { WorkingLine, WorkingQuote } from './working-quote';

/** Everything a quote is priced from; rules and templates must have passed validation on write. */
export interface PricingData {
  /** Base prices and channel price lists of one currency. */
  priceBook: PriceBook;
  /** Price rules (any versions; the highest version in force at the quote instant applies). */
  rules: readonly PriceRuleDefinition[];
  /** Coupon templates (any versions). */
  couponTemplates: readonly CouponTemplateDefinition[];
}

/**
 * Prices carts from one snapshot of pricing data. Construction indexes the data once; `quote` is
 * pure: the same input always gives the same quote, whatever order the rules were given in.
 */
export class QuoteEngine {
  private readonly book: CompiledPriceBook;
  private readonly rules: CompiledRule[];
  private readonly coupons = new Map<string, CompiledCoupon[]>();
  private readonly ruleEdges: number[];
  private readonly edges: number[];
  private interval?: { from: number; to: number; rules: CompiledRule[] };

  constructor(data: PricingData) {
    this.book = compilePriceBook(data.priceBook);
    this.rules = compileRules(data.rules);
    this.ruleEdges = finiteSorted(this.rules.flatMap((rule) => [rule.from, rule.to]));
    const priceEdges: number[] = [];
    for (const bySku of this.book.channel.values()) {
      for (const entries of bySku.values()) for (const entry of entries) priceEdges.push(entry.from, entry.to);
    }
    this.edges = finiteSorted([...this.ruleEdges, ...priceEdges]);
    for (const coupon of compileCoupons(data.couponTemplates)) {
      const versions = this.coupons.get(coupon.definition.code) ?? [];
      versions.push(coupon);
      this.coupons.set(coupon.definition.code, versions);
    }
  }

  /** Validates raw (stored or submitted) rules and templates, then builds an engine; or lists every problem. */
  static fromDefinitions(raw: { priceBook: PriceBook; rules: unknown; couponTemplates: unknown }): DefinitionValidation<QuoteEngine> {
    const rules = validatePriceRules(raw.rules);
    const coupons = validateCouponTemplates(raw.couponTemplates);
    const errors = [...(rules.ok ? [] : rules.errors), ...(coupons.ok ? [] : coupons.errors)];
    if (!rules.ok || !coupons.ok) return { ok: false, errors };
    return { ok: true, value: new QuoteEngine({ priceBook: raw.priceBook, rules: rules.value, couponTemplates: coupons.value }) };
  }

  /** Currency of every quote from this engine. */
  get currency(): string {
    return this.book.currency;
  }

  /** The rules in force at `at`, in application order. */
  activeRules(at: Date): CompiledRule[] {
    return [...this.activeAt(at.getTime())];
  }

  /** Every finite window edge (epoch ms) of rules and channel price entries: where prices can change. */
  windowEdges(): number[] {
    return [...this.edges];
  }

  /**
   * The active set only changes at rule window edges, so it is computed once per interval between
   * two edges and reused for every quote inside it (the engine is immutable).
   */
  private activeAt(at: number): CompiledRule[] {
    const cached = this.interval;
    if (cached && cached.from <= at && at < cached.to) return cached.rules;
    let next = 0;
    while (next < this.ruleEdges.length && this.ruleEdges[next] <= at) next++;
    const from = next === 0 ? -Infinity : this.ruleEdges[next - 1];
    const to = next === this.ruleEdges.length ? Infinity : this.ruleEdges[next];
    const rules = selectActiveRules(this.rules, this.book.currency, at);
    this.interval = { from, to, rules };
    return rules;
  }

  /** The unit price of one SKU for a channel (and store) at `at`, without cart, member or coupons. */
  unitPrice(sku: string, categoryIds: readonly string[], channel: string, storeId: string | null, at: Date): ResolvedUnitPrice | undefined {
    const list = resolveListPrice(this.book, sku, channel, at.getTime());
    const lines = [{ sku, quantity: 1, categoryIds: [...categoryIds] }];
    const facts = factsFor({ channel, storeId: storeId ?? undefined, lines }, list?.amount ?? 0);
    const context: PriceContext = { channel, storeId, facts };
    return resolveUnitPrice(this.book, this.activeAt(at.getTime()), { sku, categoryIds }, context, at.getTime());
  }

  /**
   * The per-unit price a channel (and store) shows for one SKU at `at`: one unit, anonymous buyer,
   * no coupons, price stage plus item-level promotions (percent-off, flash sale with its full cap).
   * Cart- and member-dependent rules are left out. Undefined when the SKU is not priced.
   */
  effectiveUnitPrice(sku: string, categoryIds: readonly string[], channel: string, storeId: string | null, at: Date): number | undefined {
    const input: QuoteInput = {
      channel,
      ...(storeId !== null ? { storeId } : {}),
      lines: [{ sku, quantity: 1, categoryIds: [...categoryIds] }],
      couponCodes: [],
      now: at,
    };
    const outcome = this.price(input, this.activeAt(at.getTime()).filter((rule) => SHELF_KINDS.has(rule.definition.kind)));
    return outcome.ok ? outcome.quote.total : undefined;
  }

  /** Prices a cart: price stage, discount rules, coupons, totals. */
  quote(input: QuoteInput): QuoteOutcome {
    assertInput(input);
    return this.price(input, this.activeAt(input.now.getTime()));
  }

  private price(input: QuoteInput, active: CompiledRule[]): QuoteOutcome {
    const priceStage = active.filter((rule) => rule.priceStage);
    const at = input.now.getTime();
    const storeId = input.storeId ?? null;
    // Price-stage conditions see the list-price subtotal; discount rules see the unit-price subtotal.
    let listSubtotal = 0;
    for (const line of input.lines) listSubtotal += (resolveListPrice(this.book, line.sku, input.channel, at)?.amount ?? 0) * line.quantity;
    const priceFacts = factsFor(input, listSubtotal);
    const context: PriceContext = { channel: input.channel, storeId, facts: priceFacts, conditionMemo: new Map() };
    const prices: ResolvedUnitPrice[] = [];
    const unpriced = new Set<string>();
    for (const line of input.lines) {
      const price = resolveUnitPrice(this.book, priceStage, line, context, at);
      if (price) prices.push(price);
      else unpriced.add(line.sku);
    }
    if (unpriced.size > 0) return { ok: false, reason: 'sku-not-priced', skus: [...unpriced].sort(compareIds) };

    const lines: WorkingLine[] = input.lines.map((line, index) => {
      const lineSubtotal = prices[index].unitPrice * line.quantity;
      assertMinorUnits(lineSubtotal, `line ${index} subtotal`);
      return {
        sku: line.sku,
        quantity: line.quantity,
        categoryIds: line.categoryIds,
        lineSubtotal,
        current: lineSubtotal,
        groups: new Set<string>(),
        exclusive: false,
        couponed: false,
        discounts: [],
      };
    });
    const subtotal = lines.reduce((sum, line) => sum + line.lineSubtotal, 0);
    assertMinorUnits(subtotal, 'subtotal');
    const work: WorkingQuote = {
      currency: this.book.currency,
      facts: { ...priceFacts, subtotal },
      lines,
      applied: priceStageApplied(input, prices),
      flashSales: [],
    };
    applyDiscountRules(work, active, input.flashSaleUsage ?? {});
    const rejectedCoupons = applyCoupons(work, (code) => this.findCoupon(code, at), input.couponCodes, at);
    return { ok: true, quote: this.assemble(input, prices, work, rejectedCoupons) };
  }

  /** The highest version of a code valid at `at`, else its highest version (to explain the rejection). */
  private findCoupon(code: string, at: number): CompiledCoupon | undefined {
    const versions = this.coupons.get(code);
    if (!versions) return undefined;
    return versions.find((coupon) => inWindow(coupon, at)) ?? versions[0];
  }

  private assemble(input: QuoteInput, prices: ResolvedUnitPrice[], work: WorkingQuote, rejectedCoupons: Quote['rejectedCoupons']): Quote {
    const lines: QuoteLine[] = work.lines.map((line, index) => {
      const price = prices[index];
      const discountTotal = line.discounts.reduce((sum, discount) => sum + discount.amount, 0);
      return {
        sku: line.sku,
        quantity: line.quantity,
        listPrice: price.listPrice,
        listPriceSource: price.listSource,
        unitPrice: price.unitPrice,
        ...(price.rule ? { priceRuleId: price.rule.definition.id } : {}),
        lineSubtotal: line.lineSubtotal,
        discounts: line.discounts,
        discountTotal,
        finalLineTotal: line.lineSubtotal - discountTotal,
      };
    });
    const subtotal = lines.reduce((sum, line) => sum + line.lineSubtotal, 0);
    const discountTotal = lines.reduce((sum, line) => sum + line.discountTotal, 0);
    const total = lines.reduce((sum, line) => sum + line.finalLineTotal, 0);
    if (total !== subtotal - discountTotal || total < 0 || lines.some((line) => line.finalLineTotal < 0)) {
      throw new PricingDomainError('INVALID_AMOUNT', `quote does not add up: ${subtotal} - ${discountTotal} != ${total}`);
    }
    return {
      currency: work.currency,
      channel: input.channel,
      pricedAt: input.now.toISOString(),
      lines,
      appliedRules: work.applied,
      rejectedCoupons,
      flashSaleAllocations: [...work.flashSales].sort((a, b) => compareIds(a.ruleId, b.ruleId) || compareIds(a.sku, b.sku)),
      subtotal,
      discountTotal,
      total,
    };
  }
}

/** Kinds that change the price shown on a shelf or a marketplace listing. */
const SHELF_KINDS: ReadonlySet<RuleKind> = new Set<RuleKind>([...PRICE_STAGE_KINDS, 'percent-off', 'flash-sale']);

/** Prices a cart from pricing data in one call (builds a QuoteEngine; reuse one for many quotes). */
export function calculateQuote(input: QuoteInput, data: PricingData): QuoteOutcome {
  return new QuoteEngine(data).quote(input);
}

function finiteSorted(values: number[]): number[] {
  return [...new Set(values)].filter(Number.isFinite).sort((a, b) => a - b);
}

function factsFor(input: Pick<QuoteInput, 'channel' | 'storeId' | 'memberTier' | 'memberId' | 'lines'>, subtotal: number): QuoteFacts {
  const skus = new Set<string>();
  const categories = new Set<string>();
  let itemCount = 0;
  for (const line of input.lines) {
    skus.add(line.sku);
    for (const category of line.categoryIds) categories.add(category);
    itemCount += line.quantity;
  }
  return {
    channel: input.channel,
    storeId: input.storeId ?? null,
    memberTier: input.memberTier ?? null,
    isMember: input.memberId !== undefined || input.memberTier !== undefined,
    subtotal,
    itemCount,
    skus: [...skus].sort(compareIds),
    categoryIds: [...categories].sort(compareIds),
  };
}

/** One applied entry per price-stage rule: its saving against list price over the lines it priced. */
function priceStageApplied(input: QuoteInput, prices: ResolvedUnitPrice[]): AppliedRule[] {
  const byRule = new Map<string, AppliedRule & { parts: string[] }>();
  prices.forEach((price, index) => {
    if (!price.rule) return;
    const definition = price.rule.definition;
    const saving = (price.listPrice - price.unitPrice) * input.lines[index].quantity;
    const entry = byRule.get(definition.id) ?? {
      ruleId: definition.id,
      version: definition.version,
      kind: definition.kind,
      name: definition.name,
      amount: 0,
      explanation: '',
      parts: [],
    };
    entry.amount += saving;
    entry.parts.push(`${input.lines[index].sku}: ${price.explanation}`);
    byRule.set(definition.id, entry);
  });
  return [...byRule.values()].map(({ parts, ...entry }) => ({ ...entry, explanation: parts.join('; ') }));
}

function assertInput(input: QuoteInput): void {
  const fail = (message: string) => {
    throw new PricingDomainError('INVALID_QUOTE_INPUT', message);
  };
  if (typeof input.channel !== 'string' || input.channel === '') fail('channel is required');
  // A tag check rather than instanceof, so Dates from another realm (vm contexts, workers) pass.
  const isDate = Object.prototype.toString.call(input.now) === '[object Date]';
  if (!isDate || Number.isNaN(input.now.getTime())) fail('now must be a valid Date');
  if (!Array.isArray(input.lines)) fail('lines must be an array');
  input.lines.forEach((line, index) => {
    if (typeof line.sku !== 'string' || line.sku === '') fail(`lines[${index}].sku is required`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) fail(`lines[${index}].quantity must be a positive integer`);
    if (!Array.isArray(line.categoryIds)) fail(`lines[${index}].categoryIds must be an array`);
  });
  if (!Array.isArray(input.couponCodes)) fail('couponCodes must be an array');
  for (const [ruleId, usage] of Object.entries(input.flashSaleUsage ?? {})) {
    if (!Number.isSafeInteger(usage.remainingCap) || !Number.isSafeInteger(usage.memberPurchased)) {
      fail(`flashSaleUsage.${ruleId} must hold integers`);
    }
  }
}
