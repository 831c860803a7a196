import { IsId, IsText } from '@omni/contracts';
import { IsClearable, IsOmittable } from '../common/dto-rules';

/** Body of POST /internal/categories. */
export class CreateCategoryDto {
  @IsText(200)
  name: string;

  /** Parent category; absent or null for a root. */
  @IsClearable()
  @IsId()
  parentId?: string | null;
}

/** Body of PATCH /internal/categories/:id; `parentId: null` moves it to the root. */
export class UpdateCategoryDto {
  @IsOmittable()
  @IsText(200)
  name?: string;

  @IsClearable()
  @IsId()
  parentId?: string | null;
}

/** A category as the API returns it. */
export interface CategoryView {
  id: string;
  name: string;
  parentId: string | null;
}
