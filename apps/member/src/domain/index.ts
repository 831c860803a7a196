// The member service's pure rules: no Nest, TypeORM or kafkajs, so they are tested without infrastructure.
export * from './member-rule.result';
export * from './personal-data/personal-data.hasher';
export * from './points/points-ledger';
export * from './coupons/coupon-wallet';
export * from './gift-cards/gift-card';
export * from './tiers/tier.policy';
export * from './identity/channel-account';
export * from './sign-in/sign-in.rules';
export * from './marketing/occasion.calendar';
export * from './refunds/refund.settlement';
