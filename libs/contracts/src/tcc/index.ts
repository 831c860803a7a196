export * from './tcc-branch.value';
export * from './inventory-branch-requested.event';
export * from './pricing-branch-requested.event';
export * from './tcc-branch-replied.event';
export * from './member-branch-requested.event';
