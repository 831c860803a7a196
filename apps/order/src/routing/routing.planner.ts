/** A stock location as routing sees it. */
export interface RoutingLocation {
  id: string;
  type: 'warehouse' | 'store' | 'dark_store';
  lat: number;
  lng: number;
  status: 'open' | 'closed';
  shipsInDays: number;
}

/** A line to fulfil. */
export interface RoutingLine {
  lineNo: number;
  sku: string;
  quantity: number;
}

/** Where a buyer wants the goods. */
export type RoutingFulfilment =
  | { type: 'ship'; lat?: number; lng?: number }
  | { type: 'pickup'; locationId: string }
  | { type: 'delivery'; locationId: string };

/** Units of a line taken from one location ('any' lets inventory choose). */
export interface RoutingAssignment {
  lineNo: number;
  sku: string;
  quantity: number;
  locationId: string;
}

/** The chosen plan and why; kept on the order. */
export interface RoutingPlan {
  mode: 'fixed' | 'single' | 'split' | 'any';
  assignments: RoutingAssignment[];
  reasons: string[];
}

/** Weights of the shipping score (lower is better); all in the same abstract cost unit. */
export interface RoutingWeights {
  /** Per km between the location and the buyer. */
  perKm: number;
  /** Per parcel: what splitting costs. */
  perShipment: number;
  /** Per unit handled, by location type (stores pick more expensively than warehouses). */
  perUnit: Record<RoutingLocation['type'], number>;
  /** Per day the location needs before it ships. */
  perDay: number;
}

/** Default weights: a parcel costs as much as 50 km, a store unit twice a warehouse unit. */
export const DEFAULT_ROUTING_WEIGHTS: RoutingWeights = Object.freeze({
  perKm: 0.2,
  perShipment: 10,
  perUnit: { warehouse: 0.5, dark_store: 0.8, store: 1 },
  perDay: 3,
});

/** Great-circle distance in km. */
export function distanceKm(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLng = (bLng - aLng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The score of shipping `units` from `location` to the buyer as one parcel (lower is better). */
export function shipmentScore(location: RoutingLocation, units: number, buyer: { lat?: number; lng?: number }, w: RoutingWeights = DEFAULT_ROUTING_WEIGHTS): number {
  const km = buyer.lat === undefined || buyer.lng === undefined ? 0 : distanceKm(buyer.lat, buyer.lng, location.lat, location.lng);
  return w.perShipment + km * w.perKm + units * w.perUnit[location.type] + location.shipsInDays * w.perDay;
}

/** Available units per location id, then per SKU (for the order's channel). */
export type StockByLocation = ReadonlyMap<string, ReadonlyMap<string, number>>;

const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * Plans where each line is reserved. Pickup reserves at the chosen store, delivery at the
 * platform's store. Shipping scores every open location that can fill the whole order (distance to
 * the buyer, handling cost, lead time, one parcel) and takes the best; when none can, it splits:
 * repeatedly the location covering most remaining units (ties: lower score), so parcels stay few.
 * Without stock data it leaves the choice to inventory ('any').
 */
export function planRouting(
  fulfilment: RoutingFulfilment,
  lines: readonly RoutingLine[],
  locations: readonly RoutingLocation[] | null,
  stock: StockByLocation | null,
  weights: RoutingWeights = DEFAULT_ROUTING_WEIGHTS,
): RoutingPlan {
  if (fulfilment.type !== 'ship') {
    const where = fulfilment.type === 'pickup' ? 'pickup store' : "delivery platform's store";
    return {
      mode: 'fixed',
      assignments: lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity, locationId: fulfilment.locationId })),
      reasons: [`${fulfilment.type}: every line reserved at the ${where} ${fulfilment.locationId}`],
    };
  }
  if (!locations || !stock) return anyPlan(lines, 'ship: no stock per location available; inventory picks the locations with most stock');
  const open = locations.filter((l) => l.status === 'open');
  const units = lines.reduce((n, l) => n + l.quantity, 0);
  const need = demandBySku(lines);
  const avail = (loc: string, sku: string): number => stock.get(loc)?.get(sku) ?? 0;

  const whole = open
    .filter((loc) => [...need].every(([sku, qty]) => avail(loc.id, sku) >= qty))
    .map((loc) => ({ loc, score: shipmentScore(loc, units, fulfilment, weights) }))
    .sort((a, b) => a.score - b.score || a.loc.id.localeCompare(b.loc.id));
  if (whole.length > 0) {
    const best = whole[0];
    const reasons = [`ship: ${best.loc.id} (${best.loc.type}) covers all ${lines.length} line(s), score ${round(best.score)}`];
    if (whole[1]) reasons.push(`next best ${whole[1].loc.id} score ${round(whole[1].score)}`);
    return { mode: 'single', assignments: lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity, locationId: best.loc.id })), reasons };
  }

  // Split: greedy set cover by remaining units.
  const remaining = new Map(lines.map((l) => [l.lineNo, l.quantity]));
  const left = new Map<string, Map<string, number>>(open.map((loc) => [loc.id, new Map([...need.keys()].map((sku) => [sku, avail(loc.id, sku)]))]));
  const assignments: RoutingAssignment[] = [];
  const reasons = ['ship: no single location holds the whole order; split across locations'];
  const used = new Set<string>();
  for (;;) {
    const candidates = open
      .filter((loc) => !used.has(loc.id))
      .map((loc) => {
        const covered = lines.reduce((n, l) => n + Math.min(remaining.get(l.lineNo)!, left.get(loc.id)!.get(l.sku) ?? 0), 0);
        return { loc, covered, score: shipmentScore(loc, covered, fulfilment, weights) };
      })
      .filter((c) => c.covered > 0)
      .sort((a, b) => b.covered - a.covered || a.score - b.score || a.loc.id.localeCompare(b.loc.id));
    if (candidates.length === 0) break;
    const { loc, covered, score } = candidates[0];
    used.add(loc.id);
    for (const l of lines) {
      const have = left.get(loc.id)!.get(l.sku) ?? 0;
      const take = Math.min(remaining.get(l.lineNo)!, have);
      if (take <= 0) continue;
      assignments.push({ lineNo: l.lineNo, sku: l.sku, quantity: take, locationId: loc.id });
      remaining.set(l.lineNo, remaining.get(l.lineNo)! - take);
      left.get(loc.id)!.set(l.sku, have - take);
    }
    reasons.push(`${loc.id} (${loc.type}) ships ${covered} unit(s), score ${round(score)}`);
  }
  for (const l of lines) {
    const rest = remaining.get(l.lineNo)!;
    if (rest > 0) {
      assignments.push({ lineNo: l.lineNo, sku: l.sku, quantity: rest, locationId: 'any' });
      reasons.push(`line ${l.lineNo} (${l.sku}): ${rest} unit(s) beyond known stock left to inventory`);
    }
  }
  return { mode: 'split', assignments: assignments.sort((a, b) => a.lineNo - b.lineNo), reasons };
}

function anyPlan(lines: readonly RoutingLine[], reason: string): RoutingPlan {
  return { mode: 'any', assignments: lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity, locationId: 'any' })), reasons: [reason] };
}

function demandBySku(lines: readonly RoutingLine[]): Map<string, number> {
  const need = new Map<string, number>();
  for (const l of lines) need.set(l.sku, (need.get(l.sku) ?? 0) + l.quantity);
  return need;
}
