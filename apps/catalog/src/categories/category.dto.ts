/** Bodies of POST /internal/categories and PATCH /internal/categories/:id (shared with the gateway). */
export { CreateCategoryBody as CreateCategoryDto, UpdateCategoryBody as UpdateCategoryDto } from '@omni/contracts';

/** A category as the API returns it. */
export interface CategoryView {
  id: string;
  name: string;
  parentId: string | null;
}
