// The schema of pricing's versioned definitions: kinds, types and field rules, shared by pricing and the gateway.
export * from './definition.schema';
export * from './price-rule.definition';
export * from './coupon-template.definition';
