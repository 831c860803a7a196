// HTTP bodies validated at two edges: the owning service's internal route and the gateway's public one.
export * from './body-rules';
export * from './catalog-admin.bodies';
export * from './inventory-admin.bodies';
export * from './payment-callback.body';
export * from './o2o-mapping.bodies';
