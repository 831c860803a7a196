import type { OwnerType } from '@omni/contracts';

/** Bodies of POST /internal/owners and PATCH /internal/owners/:id; the type is fixed once created (shared with the gateway). */
export { CreateOwnerBody as CreateOwnerDto, UpdateOwnerBody as UpdateOwnerDto } from '@omni/contracts';

/** A stock owner as the API returns it. */
export interface OwnerView {
  id: string;
  name: string;
  type: OwnerType;
}
