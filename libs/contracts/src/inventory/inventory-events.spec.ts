import { validatePayload } from '../core/payload-validator';
import { sampleEvents } from '../testing/samples';
import { STOCK_CHANGED } from './stock-changed.event';
import { STOCK_DEDUCTED } from './stock-deducted.event';
import { STOCK_LOW } from './stock-low.event';
import { STOCK_RELEASED } from './stock-released.event';
import { STOCK_RESERVED } from './stock-reserved.event';

const errors = (result: { ok: boolean; errors?: string[] }): string[] => result.errors ?? [];

describe('inventory event contracts', () => {
  describe('stock-reserved', () => {
    const line = () => sampleEvents.stockReserved().lines[0];

    it.each([-1, 0, 1.5])('rejects line quantity %p, naming the line path', (quantity) => {
      const raw = sampleEvents.stockReserved({ lines: [line(), { ...line(), quantity }] });
      expect(errors(validatePayload(STOCK_RESERVED, raw))).toEqual(['lines.1.quantity: quantity must be a positive integer']);
    });

    it('rejects a quantity sent as a string rather than converting it', () => {
      const raw = sampleEvents.stockReserved({ lines: [{ ...line(), quantity: '2' as unknown as number }] });
      expect(errors(validatePayload(STOCK_RESERVED, raw))).toEqual(['lines.0.quantity: quantity must be a positive integer']);
    });

    it('rejects an unknown field inside a line', () => {
      const raw = sampleEvents.stockReserved({ lines: [{ ...line(), price: 10 } as ReturnType<typeof line>] });
      expect(errors(validatePayload(STOCK_RESERVED, raw))).toEqual(['lines.0.price: property price should not exist']);
    });

    it('rejects an empty line list and a malformed SKU and ids', () => {
      expect(errors(validatePayload(STOCK_RESERVED, sampleEvents.stockReserved({ lines: [] })))).toEqual([
        'lines: lines must contain at least 1 line',
      ]);
      const raw = sampleEvents.stockReserved({ lines: [{ ...line(), sku: 'tea oolong', locationId: 'store-1' }] });
      expect(errors(validatePayload(STOCK_RESERVED, raw))).toEqual([
        'lines.0.sku: sku must be a SKU code (1-64 characters of A-Z a-z 0-9 . _ -)',
        'lines.0.locationId: locationId must be a UUID',
      ]);
    });

    it('keys by order id', () => {
      const sample = sampleEvents.stockReserved();
      expect(STOCK_RESERVED.key(sample)).toBe(sample.orderId);
    });
  });

  describe('stock-deducted', () => {
    it('requires each line to name its owner type', () => {
      const sample = sampleEvents.stockDeducted();
      const lines = [{ ...sample.lines[0], ownerType: 'supplier' as 'consignor' }];
      expect(errors(validatePayload(STOCK_DEDUCTED, { ...sample, lines }))).toEqual([
        'lines.0.ownerType: ownerType must be one of retailer, consignor',
      ]);
    });

    it('rejects a negative quantity', () => {
      const sample = sampleEvents.stockDeducted();
      const lines = [{ ...sample.lines[0], quantity: -3 }];
      expect(errors(validatePayload(STOCK_DEDUCTED, { ...sample, lines }))).toEqual(['lines.0.quantity: quantity must be a positive integer']);
    });
  });

  describe('stock-released', () => {
    it.each(['cancelled', 'expired', 'rejected'])('accepts reason %s', (reason) => {
      expect(validatePayload(STOCK_RELEASED, sampleEvents.stockReleased({ reason: reason as 'expired' })).ok).toBe(true);
    });

    it('rejects another reason and a negative quantity together', () => {
      const sample = sampleEvents.stockReleased();
      const raw = { ...sample, reason: 'lost', lines: [{ ...sample.lines[0], quantity: -1 }] };
      expect(errors(validatePayload(STOCK_RELEASED, raw))).toEqual([
        'reason: reason must be one of cancelled, expired, rejected',
        'lines.0.quantity: quantity must be a positive integer',
      ]);
    });
  });

  describe('stock-changed', () => {
    it('accepts every movement type of the ledger', () => {
      for (const cause of ['receipt', 'reservation', 'release', 'deduction', 'return-restock', 'adjustment', 'stocktake-variance', 'transfer-out', 'transfer-in']) {
        expect(validatePayload(STOCK_CHANGED, sampleEvents.stockChanged({ cause: cause as 'receipt' })).ok).toBe(true);
      }
    });

    it('rejects an unknown cause, a version of 0 and negative levels', () => {
      const raw = sampleEvents.stockChanged({ cause: 'theft' as 'receipt', version: 0, onHand: -1, available: -2 });
      expect(errors(validatePayload(STOCK_CHANGED, raw))).toEqual([
        'version: version must be an integer >= 1',
        'onHand: onHand must be an integer >= 0',
        'available: available must be an integer >= 0',
        'cause: cause must be one of receipt, reservation, release, deduction, return-restock, adjustment, stocktake-variance, transfer-out, transfer-in, allocation, location-status',
      ]);
    });

    it('accepts the causes that move ATP without moving stock', () => {
      for (const cause of ['allocation', 'location-status'] as const) {
        expect(errors(validatePayload(STOCK_CHANGED, sampleEvents.stockChanged({ cause })))).toEqual([]);
      }
    });

    it('validates each channel availability', () => {
      const raw = sampleEvents.stockChanged({ atp: [{ channel: 'app', available: 1 }, { channel: 'Tmall', available: -1 }] });
      expect(errors(validatePayload(STOCK_CHANGED, raw))).toEqual([
        'atp.1.channel: channel must be a channel code (1-32 characters of a-z 0-9 -)',
        'atp.1.available: available must be an integer >= 0',
      ]);
    });

    it('accepts an empty atp list (no channel affected) and keys by SKU', () => {
      const sample = sampleEvents.stockChanged({ atp: [] });
      expect(validatePayload(STOCK_CHANGED, sample).ok).toBe(true);
      expect(STOCK_CHANGED.key(sample)).toBe(sample.sku);
    });
  });

  describe('stock-low', () => {
    it('rejects a fractional threshold', () => {
      expect(errors(validatePayload(STOCK_LOW, sampleEvents.stockLow({ threshold: 2.5 })))).toEqual([
        'threshold: threshold must be an integer >= 0',
      ]);
    });
  });
});
