import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '@omni/contracts';

/** Body of POST /admin/orders/:id/ship. */
export class ShipOrderDto {
  @ApiProperty({ example: 'SF Express', maxLength: 64 })
  @IsText(64)
  carrier: string;

  @ApiProperty({ example: 'SF1234567890', maxLength: 64 })
  @IsText(64)
  trackingNumber: string;
}
