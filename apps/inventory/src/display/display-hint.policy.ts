/** How a channel shows stock: the kinds of display profile the catalog assigns to a channel listing. */
export type DisplayProfile =
  | { readonly kind: 'online'; readonly lowStockThreshold: number }
  | { readonly kind: 'store'; readonly locationId: string }
  | { readonly kind: 'remote' };

/** Machine-readable hint codes; `text` is only a default English rendering. */
export type DisplayHintCode =
  | 'SOLD_OUT'
  | 'IN_STOCK'
  | 'ONLY_N_LEFT'
  | 'IN_STOCK_HERE'
  | 'AVAILABLE_AT_STORE'
  | 'SHIPS_IN_DAYS';

/** A structured hint the gateway or catalog renders in its own words and language. */
export interface DisplayHint {
  readonly code: DisplayHintCode;
  readonly quantity?: number;
  readonly days?: number;
  readonly locationId?: string;
  readonly locationName?: string;
  readonly text: string;
}

/** One location's ATP for the channel, with what the hint needs to know about the location. */
export interface LocationAvailability {
  readonly locationId: string;
  readonly name: string;
  readonly type: 'warehouse' | 'store' | 'dark_store';
  readonly status: 'open' | 'closed';
  readonly lat: number;
  readonly lng: number;
  readonly shipsInDays: number;
  /** Units this channel may promise from this location (already capped by the channel ATP). */
  readonly atp: number;
}

/** Input of a hint: the channel's ATP for the SKU and its ATP per location. */
export interface DisplayHintInput {
  readonly channelAtp: number;
  readonly locations: readonly LocationAvailability[];
  readonly profile: DisplayProfile;
}

/** A profile that cannot be evaluated (e.g. a store profile naming an unknown location). */
export class DisplayProfileError extends Error {
  constructor(readonly code: 'UNKNOWN_LOCATION' | 'INVALID_THRESHOLD', message: string) {
    super(message);
  }
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km; good enough to rank stores by nearness. */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const soldOut: DisplayHint = { code: 'SOLD_OUT', text: 'Sold out' };

function shipsIn(days: number): DisplayHint {
  return { code: 'SHIPS_IN_DAYS', days, text: days === 1 ? 'Ships in 1 day' : `Ships in ${days} days` };
}

/** Fastest shipping among open locations with stock of the given types; undefined when none. */
function fastestShipping(locations: readonly LocationAvailability[], types: readonly string[]): DisplayHint | undefined {
  let best: number | undefined;
  for (const l of locations) {
    if (l.status !== 'open' || l.atp <= 0 || !types.includes(l.type)) continue;
    if (best === undefined || l.shipsInDays < best) best = l.shipsInDays;
  }
  return best === undefined ? undefined : shipsIn(best);
}

function onlineHint(channelAtp: number, threshold: number): DisplayHint {
  if (!Number.isInteger(threshold) || threshold < 0) {
    throw new DisplayProfileError('INVALID_THRESHOLD', 'lowStockThreshold must be an integer >= 0');
  }
  if (channelAtp <= 0) return soldOut;
  if (channelAtp <= threshold) return { code: 'ONLY_N_LEFT', quantity: channelAtp, text: `Only ${channelAtp} left` };
  return { code: 'IN_STOCK', text: 'In stock' };
}

function storeHint(input: DisplayHintInput, locationId: string): DisplayHint {
  const here = input.locations.find((l) => l.locationId === locationId);
  if (!here) throw new DisplayProfileError('UNKNOWN_LOCATION', `location ${locationId} is unknown`);
  if (input.channelAtp <= 0) return soldOut;
  if (here.status === 'open' && here.atp > 0) {
    return { code: 'IN_STOCK_HERE', quantity: here.atp, text: 'In stock here' };
  }
  // A shopper standing in a store is best served by the nearest other store that has it.
  let nearest: { loc: LocationAvailability; km: number } | undefined;
  for (const l of input.locations) {
    if (l.locationId === locationId || l.type !== 'store' || l.status !== 'open' || l.atp <= 0) continue;
    const km = distanceKm(here, l);
    if (!nearest || km < nearest.km || (km === nearest.km && l.locationId < nearest.loc.locationId)) {
      nearest = { loc: l, km };
    }
  }
  if (nearest) {
    return {
      code: 'AVAILABLE_AT_STORE',
      quantity: nearest.loc.atp,
      locationId: nearest.loc.locationId,
      locationName: nearest.loc.name,
      text: `Available at ${nearest.loc.name}`,
    };
  }
  return fastestShipping(input.locations, ['warehouse', 'dark_store']) ?? soldOut;
}

/**
 * The hint a channel shows for a SKU. Pure: the caller supplies ATP (channel and per location)
 * and the profile; an online profile reads only the channel ATP, store and remote profiles read
 * where the units are.
 */
export function computeDisplayHint(input: DisplayHintInput): DisplayHint {
  const profile = input.profile;
  switch (profile.kind) {
    case 'online':
      return onlineHint(input.channelAtp, profile.lowStockThreshold);
    case 'store':
      return storeHint(input, profile.locationId);
    case 'remote':
      if (input.channelAtp <= 0) return soldOut;
      return fastestShipping(input.locations, ['warehouse', 'dark_store', 'store']) ?? soldOut;
  }
}
