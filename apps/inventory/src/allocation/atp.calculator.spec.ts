import fc from 'fast-check';
import { atpBasis, ChannelAllocationRule, channelAtp, channelLocationAtp } from './atp.calculator';

describe('ATP', () => {
  const rules: ChannelAllocationRule[] = [
    { channel: 'm', mode: 'dedicated', safetyStock: 0, quotaRemaining: 10 },
    { channel: 'a', mode: 'shared', safetyStock: 5, quotaRemaining: 0 },
  ];

  it('gives the issue example: 50 units, M quota 10, A safety 5, W shared', () => {
    const b = atpBasis([{ locationId: 'L1', open: true, onHand: 50, reserved: 0 }], rules);
    expect([channelAtp(b, 'm'), channelAtp(b, 'a'), channelAtp(b, 'w')]).toEqual([10, 35, 40]);
  });

  it('ignores closed locations and caps per-location ATP by what the location has free', () => {
    const b = atpBasis(
      [
        { locationId: 'L1', open: true, onHand: 12, reserved: 2 },
        { locationId: 'L2', open: false, onHand: 100, reserved: 0 },
        { locationId: 'L3', open: true, onHand: 3, reserved: 0 },
      ],
      rules,
    );
    expect(b.available).toBe(13);
    expect(channelAtp(b, 'w')).toBe(3);
    expect(channelLocationAtp(b, 'm', 'L1')).toBe(10);
    expect(channelLocationAtp(b, 'm', 'L3')).toBe(3);
    expect(channelLocationAtp(b, 'w', 'L2')).toBe(0);
  });

  it('never promises more than is free, and never a negative amount, whatever the rules', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ open: fc.boolean(), onHand: fc.nat(100), reserved: fc.nat(100) }), { maxLength: 5 }),
        fc.array(fc.record({ dedicated: fc.boolean(), amount: fc.nat(60) }), { maxLength: 4 }),
        (levels, rs) => {
          const stock = levels.map((l, i) => ({ locationId: `L${i}`, open: l.open, onHand: l.onHand, reserved: Math.min(l.reserved, l.onHand) }));
          const channels = rs.map((r, i) => ({
            channel: `c${i}`,
            mode: r.dedicated ? ('dedicated' as const) : ('shared' as const),
            safetyStock: r.dedicated ? 0 : r.amount,
            quotaRemaining: r.dedicated ? r.amount : 0,
          }));
          const b = atpBasis(stock, channels);
          for (const c of [...channels.map((c) => c.channel), 'other']) {
            const atp = channelAtp(b, c);
            expect(atp).toBeGreaterThanOrEqual(0);
            expect(atp).toBeLessThanOrEqual(b.available);
          }
          // Shared channels together can never eat into what dedicated channels still hold.
          const sharedMax = Math.max(0, ...channels.filter((c) => c.mode === 'shared').map((c) => channelAtp(b, c.channel)), channelAtp(b, 'other'));
          expect(sharedMax + Math.min(b.dedicatedTotal, b.available)).toBeLessThanOrEqual(Math.max(b.available, b.dedicatedTotal));
        },
      ),
    );
  });
});
