import { validatePayload } from '../core/payload-validator';
import { sampleEvents } from '../testing/samples';
import { ORDER_CANCELLED } from './order-cancelled.event';
import { ORDER_CREATED } from './order-created.event';
import { ORDER_PAID } from './order-paid.event';
import { ORDER_RETURN_DISPOSED } from './order-return-disposed.event';

const errors = (result: { ok: boolean; errors?: string[] }): string[] => result.errors ?? [];

describe('order event contracts', () => {
  describe('order-created', () => {
    it('accepts an anonymous buyer without a member id, and a shipped order without a location', () => {
      const raw = sampleEvents.orderCreated({ buyer: { anonymous: true }, fulfilment: { type: 'ship' } });
      expect(validatePayload(ORDER_CREATED, raw).ok).toBe(true);
    });

    it('requires a member id for a non-anonymous buyer', () => {
      const raw = sampleEvents.orderCreated({ buyer: { anonymous: false } });
      expect(errors(validatePayload(ORDER_CREATED, raw))).toEqual(['buyer.memberId: memberId must be a UUID']);
    });

    it('requires the store for a pickup', () => {
      const raw = sampleEvents.orderCreated({ fulfilment: { type: 'pickup' } });
      expect(errors(validatePayload(ORDER_CREATED, raw))).toEqual(['fulfilment.locationId: locationId must be a UUID']);
    });

    it('validates money inside lines: integer minor units and an ISO currency', () => {
      const raw = sampleEvents.orderCreated({
        lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: { amount: 68.5, currency: 'cny' } }],
        total: { amount: -1, currency: 'CNY' },
      });
      expect(errors(validatePayload(ORDER_CREATED, raw))).toEqual([
        'lines.0.unitPrice.amount: amount must be an integer >= 0',
        'lines.0.unitPrice.currency: currency must be an ISO 4217 code of 3 uppercase letters',
        'total.amount: amount must be an integer >= 0',
      ]);
    });

    it('rejects a negative line quantity and an unknown fulfilment type', () => {
      const raw = sampleEvents.orderCreated({
        lines: [{ sku: 'TEA-1', quantity: -2, unitPrice: { amount: 100, currency: 'CNY' } }],
        fulfilment: { type: 'drone' as 'ship' },
      });
      expect(errors(validatePayload(ORDER_CREATED, raw))).toEqual([
        'lines.0.quantity: quantity must be a positive integer',
        'fulfilment.type: type must be one of ship, pickup, delivery',
      ]);
    });

    it('rejects unknown fields in nested objects', () => {
      const raw = sampleEvents.orderCreated({ buyer: { anonymous: true, nickname: 'x' } as { anonymous: boolean } });
      expect(errors(validatePayload(ORDER_CREATED, raw))).toEqual(['buyer.nickname: property nickname should not exist']);
    });
  });

  describe('order-paid', () => {
    it('requires a payment reference and a UTC paidAt', () => {
      const raw = sampleEvents.orderPaid({ paymentRef: '', paidAt: '2024-05-01T20:00:00+08:00' });
      expect(errors(validatePayload(ORDER_PAID, raw))).toEqual([
        'paymentRef: paymentRef must not be empty',
        'paidAt: paidAt must be a UTC ISO-8601 timestamp like 2024-05-01T12:00:00.000Z',
      ]);
    });

    it('keys by order id', () => {
      const sample = sampleEvents.orderPaid();
      expect(ORDER_PAID.key(sample)).toBe(sample.orderId);
    });
  });

  describe('order-cancelled', () => {
    it.each(['buyer', 'payment-timeout', 'rejected', 'not-decided', 'operator'])('accepts reason %s', (reason) => {
      expect(validatePayload(ORDER_CANCELLED, sampleEvents.orderCancelled({ reason: reason as 'buyer' })).ok).toBe(true);
    });

    it('rejects another reason', () => {
      expect(errors(validatePayload(ORDER_CANCELLED, sampleEvents.orderCancelled({ reason: 'fraud' as 'buyer' })))).toEqual([
        'reason: reason must be one of buyer, payment-timeout, rejected, not-decided, operator, channel',
      ]);
    });
  });

  describe('order-return-disposed', () => {
    it.each(['restocked', 'outlet', 'written_off'])('accepts disposition %s', (disposition) => {
      expect(validatePayload(ORDER_RETURN_DISPOSED, sampleEvents.orderReturnDisposed({ disposition: disposition as 'outlet' })).ok).toBe(true);
    });

    it('rejects the request verbs and unknown dispositions', () => {
      for (const disposition of ['restock', 'write-off', 'lost']) {
        expect(errors(validatePayload(ORDER_RETURN_DISPOSED, sampleEvents.orderReturnDisposed({ disposition: disposition as 'outlet' })))).toEqual([
          'disposition: disposition must be one of restocked, outlet, written_off',
        ]);
      }
    });

    it.each([0, -1, 1.5])('rejects quantity %s: returned units are a positive integer', (quantity) => {
      expect(errors(validatePayload(ORDER_RETURN_DISPOSED, sampleEvents.orderReturnDisposed({ quantity })))).toEqual(['quantity: quantity must be a positive integer']);
    });

    it('accepts line 0 but no negative or fractional line number, and requires a SKU code', () => {
      expect(validatePayload(ORDER_RETURN_DISPOSED, sampleEvents.orderReturnDisposed({ lineNo: 0 })).ok).toBe(true);
      expect(errors(validatePayload(ORDER_RETURN_DISPOSED, sampleEvents.orderReturnDisposed({ lineNo: -1, sku: 'TEA 1' })))).toEqual([
        'lineNo: lineNo must be an integer >= 0',
        'sku: sku must be a SKU code (1-64 characters of A-Z a-z 0-9 . _ -)',
      ]);
      expect(errors(validatePayload(ORDER_RETURN_DISPOSED, sampleEvents.orderReturnDisposed({ lineNo: 0.5 })))).toEqual(['lineNo: lineNo must be an integer >= 0']);
    });

    it('keys by order id, so a return follows its order', () => {
      const sample = sampleEvents.orderReturnDisposed();
      expect(ORDER_RETURN_DISPOSED.key(sample)).toBe(sample.orderId);
    });
  });
});
