import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { IsId } from '@omni/contracts';
import { CreateOwnerDto, OwnerView, UpdateOwnerDto } from './owner.dto';
import { OwnerService } from './owner.service';

/** Route params naming one owner. */
export class OwnerIdParamDto {
  @IsId()
  id: string;
}

/** Internal HTTP API of stock owners. */
@Controller('internal/owners')
export class OwnerController {
  constructor(private readonly owners: OwnerService) {}

  /** Registers an owner (the retailer or a consignor). */
  @Post()
  create(@Body() body: CreateOwnerDto): Promise<OwnerView> {
    return this.owners.create(body);
  }

  /** Lists owners. */
  @Get()
  list(): Promise<OwnerView[]> {
    return this.owners.list();
  }

  /** One owner. */
  @Get(':id')
  get(@Param() params: OwnerIdParamDto): Promise<OwnerView> {
    return this.owners.get(params.id);
  }

  /** Renames an owner (its type cannot change). */
  @Patch(':id')
  update(@Param() params: OwnerIdParamDto, @Body() body: UpdateOwnerDto): Promise<OwnerView> {
    return this.owners.update(params.id, body);
  }
}
