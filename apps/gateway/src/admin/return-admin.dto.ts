import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsId } from '@omni/contracts';

/** What a store does with returned goods; the names are the statuses the return ends in. */
export const RETURN_DISPOSITIONS = ['restocked', 'outlet', 'written_off'] as const;
/** One return disposition. */
export type ReturnDisposition = (typeof RETURN_DISPOSITIONS)[number];

/** The order service's word for each disposition. */
export const ORDER_SERVICE_DISPOSITION: Readonly<Record<ReturnDisposition, string>> = {
  restocked: 'restock',
  outlet: 'outlet',
  written_off: 'write-off',
};

/** Body of POST /admin/orders/:id/returns/:returnId/disposition. */
export class ReturnDispositionDto {
  @ApiProperty({ enum: RETURN_DISPOSITIONS, description: 'restocked: sellable again; outlet: sold off elsewhere; written_off: destroyed' })
  @IsIn(RETURN_DISPOSITIONS, { message: `$property must be one of ${RETURN_DISPOSITIONS.join(', ')}` })
  disposition: ReturnDisposition;
}

/** Route params naming one return of one order. */
export class ReturnParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  id: string;

  @ApiProperty({ format: 'uuid' })
  @IsId()
  returnId: string;
}
