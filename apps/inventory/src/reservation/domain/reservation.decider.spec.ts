import fc from 'fast-check';
import { atpBasis, ChannelAllocationRule, channelAtp } from '../../allocation/atp.calculator';
import { decideTry, SkuSnapshot, StockPosition, TryLine } from './reservation.decider';

const pos = (locationId: string, onHand: number, reserved = 0, extra: Partial<StockPosition> = {}): StockPosition => ({
  locationId,
  ownerId: 'own-r',
  ownerType: 'retailer',
  open: true,
  onHand,
  reserved,
  ...extra,
});
const snap = (sku: string, levels: StockPosition[], rules: ChannelAllocationRule[] = []): Map<string, SkuSnapshot> =>
  new Map([[sku, { sku, levels, rules }]]);
const line = (quantity: number, locationId = 'any', sku = 'A', lineNo = 0): TryLine => ({ lineNo, sku, quantity, locationId });

describe('decideTry', () => {
  const rules: ChannelAllocationRule[] = [
    { channel: 'tmall', mode: 'dedicated', safetyStock: 0, quotaRemaining: 10 },
    { channel: 'app', mode: 'shared', safetyStock: 5, quotaRemaining: 0 },
  ];

  it('takes a dedicated channel only from its quota', () => {
    const s = snap('A', [pos('L1', 50)], rules);
    expect(decideTry('tmall', [line(10)], s)).toMatchObject({ accepted: true, picks: [{ quantity: 10, quotaUnits: 10 }] });
    expect(decideTry('tmall', [line(11)], s)).toEqual({
      accepted: false,
      reasons: [{ line: 0, code: 'CHANNEL_QUOTA_EXHAUSTED', message: expect.any(String) }],
    });
  });

  it('keeps the safety stock from a shared channel, but not from another shared channel', () => {
    const s = snap('A', [pos('L1', 50)], rules); // pool 40
    expect(decideTry('app', [line(35)], s).accepted).toBe(true);
    expect(decideTry('app', [line(36)], s)).toMatchObject({ accepted: false, reasons: [{ code: 'SAFETY_STOCK' }] });
    expect(decideTry('web', [line(40)], s).accepted).toBe(true);
    expect(decideTry('web', [line(41)], s)).toMatchObject({ accepted: false, reasons: [{ code: 'INSUFFICIENT_STOCK' }] });
  });

  it('refuses unknown SKUs and closed locations, and reports every refused line', () => {
    const s = snap('A', [pos('L1', 5), pos('L2', 5, 0, { open: false })]);
    const d = decideTry('web', [line(1, 'any', 'NOPE', 0), line(1, 'L2', 'A', 1), line(1, 'L1', 'A', 2)], s);
    expect(d).toMatchObject({ accepted: false, reasons: [{ line: 0, code: 'UNKNOWN_SKU' }, { line: 1, code: 'LOCATION_CLOSED' }] });
  });

  it("splits an 'any' line over locations with most free units first, and over owners including consignors", () => {
    const s = snap('A', [pos('L1', 3), pos('L2', 4, 1), pos('L3', 6, 0, { ownerId: 'own-c', ownerType: 'consignor' }), pos('L3', 1)]);
    const d = decideTry('web', [line(12)], s);
    expect(d).toEqual({
      accepted: true,
      picks: [
        { lineNo: 0, sku: 'A', locationId: 'L3', ownerId: 'own-c', ownerType: 'consignor', quantity: 6, quotaUnits: 0 },
        { lineNo: 0, sku: 'A', locationId: 'L3', ownerId: 'own-r', ownerType: 'retailer', quantity: 1, quotaUnits: 0 },
        { lineNo: 0, sku: 'A', locationId: 'L1', ownerId: 'own-r', ownerType: 'retailer', quantity: 3, quotaUnits: 0 },
        { lineNo: 0, sku: 'A', locationId: 'L2', ownerId: 'own-r', ownerType: 'retailer', quantity: 2, quotaUnits: 0 },
      ],
    });
  });

  it('lets two lines of one SKU compete for the same units', () => {
    const s = snap('A', [pos('L1', 5)]);
    expect(decideTry('web', [line(3, 'any', 'A', 0), line(3, 'any', 'A', 1)], s)).toMatchObject({
      accepted: false,
      reasons: [{ line: 1, code: 'INSUFFICIENT_STOCK' }],
    });
  });

  it('does not change the snapshot it was given', () => {
    const s = snap('A', [pos('L1', 5)], [{ channel: 'tmall', mode: 'dedicated', safetyStock: 0, quotaRemaining: 3 }]);
    decideTry('tmall', [line(2)], s);
    expect(s.get('A')).toEqual({ sku: 'A', levels: [pos('L1', 5)], rules: [{ channel: 'tmall', mode: 'dedicated', safetyStock: 0, quotaRemaining: 3 }] });
  });
});

// Random SKU states: up to 4 locations × 2 owners, some closed, with up to 2 dedicated and 2 shared rules.
const arbLevel = fc.record({
  locationId: fc.constantFrom('L1', 'L2', 'L3', 'L4'),
  ownerId: fc.constantFrom('own-r', 'own-c'),
  open: fc.boolean(),
  onHand: fc.integer({ min: 0, max: 40 }),
  reservedPart: fc.integer({ min: 0, max: 40 }),
});
const arbSnapshot = fc
  .record({
    levels: fc.uniqueArray(arbLevel, { maxLength: 8, selector: (l) => `${l.locationId}/${l.ownerId}` }),
    quotaM: fc.integer({ min: 0, max: 30 }),
    quotaT: fc.integer({ min: 0, max: 30 }),
    safetyA: fc.integer({ min: 0, max: 15 }),
  })
  .map(({ levels, quotaM, quotaT, safetyA }) => {
    const positions: StockPosition[] = levels.map((l) => ({
      locationId: l.locationId,
      ownerId: l.ownerId,
      ownerType: l.ownerId === 'own-c' ? 'consignor' : 'retailer',
      open: l.open,
      onHand: l.onHand,
      reserved: Math.min(l.reservedPart, l.onHand),
    }));
    const rules: ChannelAllocationRule[] = [
      { channel: 'm', mode: 'dedicated', safetyStock: 0, quotaRemaining: quotaM },
      { channel: 't', mode: 'dedicated', safetyStock: 0, quotaRemaining: quotaT },
      { channel: 'a', mode: 'shared', safetyStock: safetyA, quotaRemaining: 0 },
    ];
    return { sku: 'A', levels: positions, rules } as SkuSnapshot;
  });
const arbChannel = fc.constantFrom('m', 't', 'a', 'w');
const basisOf = (s: SkuSnapshot) => {
  const per = new Map<string, { locationId: string; open: boolean; onHand: number; reserved: number }>();
  for (const l of s.levels) {
    const e = per.get(l.locationId) ?? { locationId: l.locationId, open: l.open, onHand: 0, reserved: 0 };
    e.onHand += l.onHand;
    e.reserved += l.reserved;
    e.open = l.open;
    per.set(l.locationId, e);
  }
  return atpBasis([...per.values()], s.rules);
};

describe('decideTry properties', () => {
  it("accepts a single 'any' line exactly when its quantity is within the channel ATP", () => {
    fc.assert(
      fc.property(arbSnapshot, arbChannel, fc.integer({ min: 1, max: 60 }), (s, channel, qty) => {
        // A location's open flag is per location: make every owner row of a location agree.
        const openOf = new Map(s.levels.map((l) => [l.locationId, l.open]));
        s.levels.forEach((l) => (l.open = openOf.get(l.locationId)!));
        const atp = channelAtp(basisOf(s), channel);
        expect(decideTry(channel, [line(qty)], new Map([['A', s]])).accepted).toBe(qty <= atp);
      }),
    );
  });

  it('an accepted Try places every unit at open locations, never oversells, and keeps quota and safety stock', () => {
    fc.assert(
      fc.property(arbSnapshot, arbChannel, fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 3 }), (s, channel, qtys) => {
        const openOf = new Map(s.levels.map((l) => [l.locationId, l.open]));
        s.levels.forEach((l) => (l.open = openOf.get(l.locationId)!));
        const lines = qtys.map((q, i) => line(q, 'any', 'A', i));
        const d = decideTry(channel, lines, new Map([['A', s]]));
        if (!d.accepted) {
          expect(d.reasons.length).toBeGreaterThan(0);
          d.reasons.forEach((r) => expect(lines.some((l) => l.lineNo === r.line)).toBe(true));
          return;
        }
        const after: SkuSnapshot = { sku: 'A', levels: s.levels.map((l) => ({ ...l })), rules: s.rules.map((r) => ({ ...r })) };
        for (const p of d.picks) {
          const level = after.levels.find((l) => l.locationId === p.locationId && l.ownerId === p.ownerId)!;
          expect(level.open).toBe(true);
          level.reserved += p.quantity;
          expect(level.reserved).toBeLessThanOrEqual(level.onHand);
        }
        lines.forEach((l) => expect(d.picks.filter((p) => p.lineNo === l.lineNo).reduce((n, p) => n + p.quantity, 0)).toBe(l.quantity));
        const total = qtys.reduce((a, b) => a + b, 0);
        const rule = after.rules.find((r) => r.channel === channel);
        if (rule?.mode === 'dedicated') {
          rule.quotaRemaining -= total;
          expect(rule.quotaRemaining).toBeGreaterThanOrEqual(0);
          expect(basisOf(after).sharedPool).toBe(basisOf(s).sharedPool);
        } else {
          expect(basisOf(after).sharedPool).toBeGreaterThanOrEqual(rule?.safetyStock ?? 0);
        }
      }),
    );
  });
});
