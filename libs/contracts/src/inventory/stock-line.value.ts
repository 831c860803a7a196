import { IsIn } from 'class-validator';
import { IsId, IsQuantity, IsSkuCode } from '../core/validators';

/** One SKU's quantity at one location, owned by one stock owner (retailer or consignor). */
export class StockLine {
  /** SKU code. */
  @IsSkuCode()
  sku: string;

  /** Location (warehouse or store) holding the stock. */
  @IsId()
  locationId: string;

  /** Stock owner: the retailer or a consignor. */
  @IsId()
  ownerId: string;

  /** Units, at least 1. */
  @IsQuantity()
  quantity: number;
}

/** Who owns a unit of stock: decides whether a sale creates a payable to a consignor. */
export const OWNER_TYPES = ['retailer', 'consignor'] as const;
/** Kind of stock owner. */
export type OwnerType = (typeof OWNER_TYPES)[number];

/** A deducted line also says what kind of owner it was, so settlement can pay consignors. */
export class DeductedStockLine extends StockLine {
  /** 'retailer' or 'consignor'. */
  @IsIn(OWNER_TYPES, { message: `$property must be one of ${OWNER_TYPES.join(', ')}` })
  ownerType: OwnerType;
}
