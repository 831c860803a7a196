import { IsText } from '@omni/contracts';

/** Body of POST /internal/brands and PATCH /internal/brands/:id. */
export class BrandDto {
  @IsText(200)
  name: string;
}

/** A brand as the API returns it. */
export interface BrandView {
  id: string;
  name: string;
}
