import { IsIn, IsInt, Min } from 'class-validator';
import { IsId, IsQuantity } from '@omni/contracts';
import type { ReturnDisposition } from '../lifecycle/order-lifecycle';

/** POST /orders/:id/returns: units of one line received back at a location. */
export class CreateReturnDto {
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must be >= 0' })
  lineNo: number;

  @IsQuantity()
  quantity: number;

  /** Where the goods were received (any store or warehouse, whatever the channel). */
  @IsId()
  locationId: string;
}

/** POST /orders/:id/returns/:returnId/disposition. */
export class DisposeReturnDto {
  @IsIn(['restock', 'outlet', 'write-off'], { message: '$property must be one of restock, outlet, write-off' })
  disposition: ReturnDisposition;
}

/** Route params of a return. */
export class ReturnParamsDto {
  @IsId()
  id: string;

  @IsId()
  returnId: string;
}
