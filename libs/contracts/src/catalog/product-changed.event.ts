import { Type } from 'class-transformer';
import { IsIn, IsObject, ValidateIf, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsId, IsVersion } from '../core/validators';
import { ProductSnapshot } from './product-snapshot.value';

/** What happened to the product. */
export const PRODUCT_OPS = ['upserted', 'deleted'] as const;
/** Product change operation. */
export type ProductOp = (typeof PRODUCT_OPS)[number];

/** A product was created, changed or deleted; carries the resulting snapshot so consumers need no call back. */
export class ProductChangedEvent extends EventPayloadBase {
  /** Product id. */
  @IsId()
  productId: string;

  /** Grows by one per change of this product; consumers drop anything not newer than what they hold. */
  @IsVersion()
  version: number;

  /** 'upserted' or 'deleted'. */
  @IsIn(PRODUCT_OPS, { message: `$property must be one of ${PRODUCT_OPS.join(', ')}` })
  op: ProductOp;

  /** Snapshot after the change; required when upserted, optional when deleted. */
  @ValidateIf((event: ProductChangedEvent) => event.op !== 'deleted' || event.product !== undefined)
  @IsObject({ message: '$property must be an object (required when op is upserted)' })
  @ValidateNested()
  @Type(() => ProductSnapshot)
  product?: ProductSnapshot;
}

/** product-changed: keyed by product id so one product's versions arrive in order. */
export const PRODUCT_CHANGED = defineEvent<ProductChangedEvent>({
  topic: 'product-changed',
  type: 'com.omniretail.catalog.product-changed.v1',
  version: 1,
  source: 'catalog',
  payload: ProductChangedEvent,
  key: (payload) => payload.productId,
  partitions: 6,
  summary: 'A product was upserted or deleted; carries its snapshot (SKUs, media, per-channel listings), versioned per product.',
});
