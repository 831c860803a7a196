import { IsIn } from 'class-validator';
import { IsText, OWNER_TYPES, type OwnerType } from '@omni/contracts';

/** Body of POST /internal/owners. */
export class CreateOwnerDto {
  @IsText(200)
  name: string;

  @IsIn(OWNER_TYPES, { message: `$property must be one of ${OWNER_TYPES.join(', ')}` })
  type: OwnerType;
}

/** Body of PATCH /internal/owners/:id. The type is fixed: it decides who is paid for stock already held. */
export class UpdateOwnerDto {
  @IsText(200)
  name: string;
}

/** A stock owner as the API returns it. */
export interface OwnerView {
  id: string;
  name: string;
  type: OwnerType;
}
