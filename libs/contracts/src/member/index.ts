export * from './member-registered.event';
export * from './members-merged.event';
export * from './tier-changed.event';
export * from './points-changed.event';
export * from './coupon-issued.event';
export * from './coupon-redeemed.event';
export * from './gift-card-changed.event';
export * from './point-value';
