import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChannelAuth, CurrentChannel } from '../auth/auth.decorators';
import { forbidden } from '../auth/auth.errors';
import type { ChannelPrincipal } from '../auth/principal';
import { segment } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { LabelChangesQueryDto, LabelExportQueryDto, LabelStoreParamDto } from './shelf-label.dto';

/** The store's key may read its own store only: a key of another store, or of no store, is refused. */
function ownStore(principal: ChannelPrincipal, locationId: string): string {
  if (principal.locationId === null) throw forbidden('STORE_KEY_REQUIRED', 'Shelf labels are read with the API key of the store they hang in');
  if (principal.locationId !== locationId) throw forbidden('OTHER_STORE', "A store's key reads its own store's labels only");
  return segment(locationId);
}

/** The shelf-label feed of a store (price, promotion and stock line per SKU), for the store's label system, relayed to catalog. */
@ApiTags('store: shelf labels')
@ChannelAuth()
@Controller('stores/:locationId/labels')
export class ShelfLabelController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Full export of the store's labels, paged by SKU (a device's first load, or a reload). */
  @Get()
  @ApiOperation({ summary: "Export the store's shelf labels" })
  async export(@CurrentChannel() principal: ChannelPrincipal, @Param() params: LabelStoreParamDto, @Query() query: LabelExportQueryDto): Promise<unknown> {
    const store = ownStore(principal, params.locationId);
    return (await this.upstreams.catalog.call({ method: 'GET', path: `internal/stores/${store}/labels`, query: { after: query.after, limit: query.limit } })).body;
  }

  /** Labels changed since a label version (what a device polls). */
  @Get('changes')
  @ApiOperation({ summary: "The store's shelf labels changed since a label version" })
  async changes(@CurrentChannel() principal: ChannelPrincipal, @Param() params: LabelStoreParamDto, @Query() query: LabelChangesQueryDto): Promise<unknown> {
    const store = ownStore(principal, params.locationId);
    return (await this.upstreams.catalog.call({ method: 'GET', path: `internal/stores/${store}/labels/changes`, query: { since: query.since, limit: query.limit } })).body;
  }
}
