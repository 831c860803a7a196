/** Body of POST /internal/brands and PATCH /internal/brands/:id (shared with the gateway). */
export { BrandBody as BrandDto } from '@omni/contracts';

/** A brand as the API returns it. */
export interface BrandView {
  id: string;
  name: string;
}
