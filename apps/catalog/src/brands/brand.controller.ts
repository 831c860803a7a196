import { Body, Controller, Get, Headers, Param, Patch, Post } from '@nestjs/common';
import { IdParamDto } from '../common/id-param.dto';
import { optionalIdempotencyKey } from '@omni/platform';
import { BrandDto, BrandView } from './brand.dto';
import { BrandService } from './brand.service';

/** Internal HTTP API of brands. */
@Controller('internal/brands')
export class BrandController {
  constructor(private readonly brands: BrandService) {}

  /** Creates a brand; a repeated Idempotency-Key returns the first result. */
  @Post()
  create(@Body() body: BrandDto, @Headers('idempotency-key') key?: string): Promise<BrandView> {
    return this.brands.create(body.name, optionalIdempotencyKey(key));
  }

  /** Every brand. */
  @Get()
  list(): Promise<BrandView[]> {
    return this.brands.list();
  }

  /** Renames a brand. */
  @Patch(':id')
  rename(@Param() params: IdParamDto, @Body() body: BrandDto): Promise<BrandView> {
    return this.brands.rename(params.id, body.name);
  }
}
