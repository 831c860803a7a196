// Public API of @omni/catalog-cache: a consumer-side catalog (full reload + product-changed deltas) and its Nest module.
export * from './channel-view';
export * from './catalog-cache.store';
export * from './catalog-export.client';
export * from './product-change.feed';
export * from './catalog-cache';
export * from './nest/catalog-cache.module';
