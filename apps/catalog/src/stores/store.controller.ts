import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { LabelChangesPage, LabelExportPage, ShelfLabelService } from '../shelf-labels/shelf-label.service';
import { AssortmentChangesDto, LabelChangesQueryDto, LabelExportQueryDto, PutAssortmentDto, PutStoreDto, StoreParamDto, StoreView } from './store.dto';
import { StoreService } from './store.service';

/** Internal HTTP API of stores: registration, assortment and the shelf-label feed. */
@Controller('internal/stores')
export class StoreController {
  constructor(
    private readonly stores: StoreService,
    private readonly labels: ShelfLabelService,
  ) {}

  /** Registers or edits a store. */
  @Put(':locationId')
  put(@Param() params: StoreParamDto, @Body() body: PutStoreDto): Promise<StoreView> {
    return this.stores.put(params.locationId, body);
  }

  /** One store. */
  @Get(':locationId')
  get(@Param() params: StoreParamDto): Promise<StoreView> {
    return this.stores.get(params.locationId);
  }

  /** The SKUs the store carries. */
  @Get(':locationId/assortment')
  assortment(@Param() params: StoreParamDto): Promise<{ locationId: string; skus: string[] }> {
    return this.stores.assortment(params.locationId);
  }

  /** Replaces the store's assortment. */
  @Put(':locationId/assortment')
  replaceAssortment(@Param() params: StoreParamDto, @Body() body: PutAssortmentDto): Promise<{ locationId: string; skus: string[] }> {
    return this.stores.replaceAssortment(params.locationId, body.skus);
  }

  /** Adds and removes SKUs. */
  @Post(':locationId/assortment/changes')
  editAssortment(@Param() params: StoreParamDto, @Body() body: AssortmentChangesDto): Promise<{ locationId: string; skus: string[] }> {
    return this.stores.editAssortment(params.locationId, body.add ?? [], body.remove ?? []);
  }

  /** Full export of the store's labels (paged by SKU). */
  @Get(':locationId/labels')
  labelExport(@Param() params: StoreParamDto, @Query() query: LabelExportQueryDto): Promise<LabelExportPage> {
    return this.labels.exportPage(params.locationId, query.after, query.limit);
  }

  /** Labels changed since a label version. */
  @Get(':locationId/labels/changes')
  labelChanges(@Param() params: StoreParamDto, @Query() query: LabelChangesQueryDto): Promise<LabelChangesPage> {
    return this.labels.changes(params.locationId, query.since, query.limit);
  }
}
