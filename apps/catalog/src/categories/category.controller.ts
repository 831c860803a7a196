import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { IdParamDto } from '../common/id-param.dto';
import { optionalIdempotencyKey } from '@omni/platform';
import { CategoryView, CreateCategoryDto, UpdateCategoryDto } from './category.dto';
import { CategoryService } from './category.service';

/** Internal HTTP API of the category tree. */
@Controller('internal/categories')
export class CategoryController {
  constructor(private readonly categories: CategoryService) {}

  /** Creates a category; a repeated Idempotency-Key returns the first result. */
  @Post()
  create(@Body() body: CreateCategoryDto, @Headers('idempotency-key') key?: string): Promise<CategoryView> {
    return this.categories.create(body, optionalIdempotencyKey(key));
  }

  /** The whole tree, flat. */
  @Get()
  list(): Promise<CategoryView[]> {
    return this.categories.list();
  }

  /** Renames or moves a category. */
  @Patch(':id')
  update(@Param() params: IdParamDto, @Body() body: UpdateCategoryDto): Promise<CategoryView> {
    return this.categories.update(params.id, body);
  }

  /** Deletes an empty, unused category. */
  @Delete(':id')
  @HttpCode(204)
  delete(@Param() params: IdParamDto): Promise<void> {
    return this.categories.delete(params.id);
  }
}
