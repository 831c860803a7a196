// Public API of the pricing domain core: pure TypeScript, no Nest, TypeORM or Kafka.
export * from './pricing.error';
export * from './money/money.value';
export * from './money/allocation.util';
export * from './rules/condition.evaluator';
export * from './rules/price-rule.definition';
export * from './rules/coupon-template.definition';
export * from './rules/definition.validator';
export * from './rules/rule.compiler';
export * from './prices/price-book.model';
export * from './prices/price.resolver';
export * from './quote/quote.model';
export * from './quote/quote.engine';
export * from './schedule/price-boundary.scheduler';
