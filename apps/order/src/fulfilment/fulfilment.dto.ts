import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** POST /orders/:id/ship. */
export class ShipOrderDto {
  @IsString({ message: '$property must be a string' })
  @MaxLength(64, { message: '$property must be at most 64 characters' })
  carrier: string;

  @IsString({ message: '$property must be a string' })
  @MaxLength(64, { message: '$property must be at most 64 characters' })
  trackingNumber: string;
}

/** POST /orders/:id/complete; a pickup order is completed with the buyer's pickup code. */
export class CompleteOrderDto {
  @IsOptional()
  @Matches(/^\d{6}$/, { message: '$property must be 6 digits' })
  pickupCode?: string;
}
