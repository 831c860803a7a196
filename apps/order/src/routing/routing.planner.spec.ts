import { DEFAULT_ROUTING_WEIGHTS, distanceKm, planRouting, RoutingLocation, shipmentScore, StockByLocation } from './routing.planner';

// Shanghai buyer; a warehouse in Suzhou (~85 km), a store in Shanghai (~5 km), a closed store next door.
const buyer = { type: 'ship' as const, lat: 31.2304, lng: 121.4737 };
const warehouse: RoutingLocation = { id: 'wh-suzhou', type: 'warehouse', lat: 31.2989, lng: 120.5853, status: 'open', shipsInDays: 1 };
const store: RoutingLocation = { id: 'st-jingan', type: 'store', lat: 31.2286, lng: 121.4481, status: 'open', shipsInDays: 0 };
const closed: RoutingLocation = { id: 'st-closed', type: 'store', lat: 31.2304, lng: 121.4737, status: 'closed', shipsInDays: 0 };
const far: RoutingLocation = { id: 'wh-beijing', type: 'warehouse', lat: 39.9042, lng: 116.4074, status: 'open', shipsInDays: 1 };

function stock(entries: Record<string, Record<string, number>>): StockByLocation {
  return new Map(Object.entries(entries).map(([loc, skus]) => [loc, new Map(Object.entries(skus))]));
}

describe('scores', () => {
  it('measures great-circle distance', () => {
    expect(distanceKm(buyer.lat, buyer.lng, warehouse.lat, warehouse.lng)).toBeGreaterThan(80);
    expect(distanceKm(buyer.lat, buyer.lng, warehouse.lat, warehouse.lng)).toBeLessThan(90);
    expect(distanceKm(1, 2, 1, 2)).toBe(0);
  });

  it('adds parcel, distance, handling by type and lead time', () => {
    const w = DEFAULT_ROUTING_WEIGHTS;
    const km = distanceKm(buyer.lat, buyer.lng, store.lat, store.lng);
    expect(shipmentScore(store, 3, buyer)).toBeCloseTo(w.perShipment + km * w.perKm + 3 * w.perUnit.store, 6);
    expect(shipmentScore(warehouse, 3, {})).toBeCloseTo(w.perShipment + 3 * w.perUnit.warehouse + w.perDay, 6);
  });

  it('prefers the near store for a small order and the cheap warehouse when distance does not matter', () => {
    expect(shipmentScore(store, 2, buyer)).toBeLessThan(shipmentScore(warehouse, 2, buyer));
    expect(shipmentScore(warehouse, 40, {})).toBeLessThan(shipmentScore(store, 40, {}));
  });
});

describe('planRouting', () => {
  const lines = [
    { lineNo: 0, sku: 'A', quantity: 2 },
    { lineNo: 1, sku: 'B', quantity: 1 },
  ];

  it('pickup reserves every line at the chosen store, delivery at the platform store', () => {
    expect(planRouting({ type: 'pickup', locationId: 'st-1' }, lines, null, null).assignments.map((a) => a.locationId)).toEqual(['st-1', 'st-1']);
    const plan = planRouting({ type: 'delivery', locationId: 'st-2' }, lines, [warehouse], stock({}));
    expect(plan.mode).toBe('fixed');
    expect(plan.assignments.every((a) => a.locationId === 'st-2')).toBe(true);
  });

  it('without stock data leaves the choice to inventory', () => {
    const plan = planRouting(buyer, lines, null, null);
    expect(plan.mode).toBe('any');
    expect(plan.assignments.map((a) => a.locationId)).toEqual(['any', 'any']);
  });

  it('picks the best single location that holds the whole order, ignoring closed ones', () => {
    const s = stock({ 'wh-suzhou': { A: 10, B: 10 }, 'st-jingan': { A: 5, B: 5 }, 'st-closed': { A: 99, B: 99 } });
    const plan = planRouting(buyer, lines, [warehouse, store, closed], s);
    expect(plan.mode).toBe('single');
    expect(plan.assignments.every((a) => a.locationId === 'st-jingan')).toBe(true);
    expect(plan.reasons[0]).toContain('st-jingan');
    expect(plan.reasons[1]).toContain('wh-suzhou');
  });

  it('prefers one parcel from a far location over splitting between near ones', () => {
    const s = stock({ 'st-jingan': { A: 2 }, 'wh-suzhou': { B: 1 }, 'wh-beijing': { A: 2, B: 1 } });
    const plan = planRouting(buyer, lines, [store, warehouse, far], s);
    expect(plan.mode).toBe('single');
    expect(plan.assignments.map((a) => a.locationId)).toEqual(['wh-beijing', 'wh-beijing']);
  });

  it('splits when no location holds everything: most units first, a line across two locations if needed', () => {
    const s = stock({ 'st-jingan': { A: 1, B: 1 }, 'wh-suzhou': { A: 1 } });
    const plan = planRouting(buyer, lines, [store, warehouse], s);
    expect(plan.mode).toBe('split');
    expect(plan.assignments).toEqual([
      { lineNo: 0, sku: 'A', quantity: 1, locationId: 'st-jingan' },
      { lineNo: 0, sku: 'A', quantity: 1, locationId: 'wh-suzhou' },
      { lineNo: 1, sku: 'B', quantity: 1, locationId: 'st-jingan' },
    ]);
    expect(plan.reasons).toHaveLength(3);
  });

  it('leaves units beyond known stock to inventory (which will refuse them with a reason)', () => {
    const plan = planRouting(buyer, [{ lineNo: 0, sku: 'A', quantity: 5 }], [store], stock({ 'st-jingan': { A: 3 } }));
    expect(plan.assignments).toEqual([
      { lineNo: 0, sku: 'A', quantity: 3, locationId: 'st-jingan' },
      { lineNo: 0, sku: 'A', quantity: 2, locationId: 'any' },
    ]);
  });

  it('quantities of a plan always add up to the order', () => {
    const s = stock({ 'st-jingan': { A: 1 }, 'wh-suzhou': { A: 1, B: 3 }, 'wh-beijing': { B: 1 } });
    for (const order of [lines, [{ lineNo: 0, sku: 'A', quantity: 7 }], [{ lineNo: 0, sku: 'B', quantity: 4 }, { lineNo: 1, sku: 'A', quantity: 1 }]]) {
      const plan = planRouting(buyer, order, [store, warehouse, far], s);
      for (const l of order) expect(plan.assignments.filter((a) => a.lineNo === l.lineNo).reduce((n, a) => n + a.quantity, 0)).toBe(l.quantity);
    }
  });
});
