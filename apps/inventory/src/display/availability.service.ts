import { DomainError, DomainErrorType } from '@omni/platform';
import type { DataSource } from 'typeorm';
import { locationNotFound } from '../locations/location.service';
import { queryRows } from '@omni/sql';
import { atpViewOf, loadSkuStates } from '../stock/stock-reader';
import type { AvailabilityQueryDto, AvailabilityView } from './availability.dto';
import { computeDisplayHint, DisplayProfile, DisplayProfileError, LocationAvailability } from './display-hint.policy';

/** Default "only N left" threshold of the online profile when the caller sends none. */
export const DEFAULT_ONLINE_THRESHOLD = 5;

interface LocationRow {
  id: string;
  name: string;
  type: LocationAvailability['type'];
  status: LocationAvailability['status'];
  lat: number | null;
  lng: number | null;
  ships_in_days: number;
}

/** ATP of a SKU for a channel, per location, and the display hint of the channel's profile. */
export class AvailabilityService {
  constructor(private readonly dataSource: DataSource) {}

  /** Reads Postgres (the truth) in one snapshot; a SKU never stocked answers ATP 0, sold out. */
  async availability(sku: string, query: AvailabilityQueryDto): Promise<AvailabilityView> {
    const profile = profileOf(query);
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const state = (await loadSkuStates(tx, [sku])).get(sku) ?? { sku, version: 0, levels: [], rules: [] };
      const view = atpViewOf(state, [query.channel]);
      const atp = view.channels[0]?.available ?? 0;
      const perLocation = new Map(view.locations.map((l) => [l.locationId, l.channels[0]?.available ?? 0]));
      const ids = [...new Set([...state.levels.map((l) => l.locationId), ...(profile.kind === 'store' ? [profile.locationId] : [])])];
      const rows = await queryRows<LocationRow>(
        tx,
        `SELECT id, name, type, status, lat, lng, ships_in_days FROM locations WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      const locations: LocationAvailability[] = rows.map((r) => ({
        locationId: r.id,
        name: r.name,
        type: r.type,
        status: r.status,
        lat: Number(r.lat ?? 0),
        lng: Number(r.lng ?? 0),
        shipsInDays: Number(r.ships_in_days),
        atp: perLocation.get(r.id) ?? 0,
      }));
      let hint;
      try {
        hint = computeDisplayHint({ channelAtp: atp, locations, profile });
      } catch (error) {
        if (error instanceof DisplayProfileError && error.code === 'UNKNOWN_LOCATION') throw locationNotFound(query.location ?? '', 'location');
        if (error instanceof DisplayProfileError) throw new DomainError(DomainErrorType.InvalidInput, error.code, error.message);
        throw error;
      }
      return {
        sku,
        channel: query.channel,
        version: state.version,
        atp,
        locations: [...perLocation.entries()].filter(([, n]) => n > 0).map(([locationId, n]) => ({ locationId, atp: n })),
        hint,
      };
    });
  }
}

function profileOf(query: AvailabilityQueryDto): DisplayProfile {
  switch (query.profile ?? 'online') {
    case 'store':
      return { kind: 'store', locationId: query.location! };
    case 'remote':
      return { kind: 'remote' };
    default:
      return { kind: 'online', lowStockThreshold: query.threshold ?? DEFAULT_ONLINE_THRESHOLD };
  }
}
