import { answerFor, decisionDeadline, intakeIdempotencyKey, orderRequestOf, unmappedReason, type OrderOutcome } from './order-intake.decider';

const outcome = (status: string, rejection: OrderOutcome['rejection'] = null): OrderOutcome => ({
  id: 'o-1',
  status,
  total: 1_000,
  payable: 1_000,
  currency: 'CNY',
  rejection,
  lines: [{ sku: 'TEA-1' }, { sku: 'COF-2' }],
});

describe('order intake decisions', () => {
  it.each([
    ['reserved', null, { kind: 'accept' }],
    ['paid', null, { kind: 'accept' }],
    ['created', null, { kind: 'wait' }],
    ['rejected', [{ lineNo: 1, code: 'INSUFFICIENT_STOCK', message: 'COF-2: 0 free' }], { kind: 'reject', reason: 'sold out: COF-2' }],
    ['rejected', [{ lineNo: 0, code: 'SOLD_OUT_GATE', message: 'TEA-1: channel eleme can promise 1' }], { kind: 'reject', reason: 'sold out: TEA-1' }],
    ['rejected', [{ lineNo: -1, code: 'QUOTE_EXPIRED', message: 'expired' }], { kind: 'reject', reason: 'QUOTE_EXPIRED: expired' }],
    ['cancelled', null, { kind: 'reject', reason: 'order cancelled' }],
  ])('an order that is %s (%j) → %j', (status, rejection, answer) => {
    expect(answerFor(outcome(status, rejection as OrderOutcome['rejection']))).toEqual(answer);
  });

  it('derives one Idempotency-Key per platform order, valid whatever the platform id holds', () => {
    const key = intakeIdempotencyKey('eleme', 'DLV 1/ü');
    expect(key).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(intakeIdempotencyKey('eleme', 'DLV 1/ü')).toBe(key);
    expect(intakeIdempotencyKey('tmall', 'DLV 1/ü')).not.toBe(key);
  });

  it('names every unknown id', () => {
    expect(unmappedReason({ unknownSkus: ['p-1', 'p-2'] })).toBe('unknown SKU p-1, p-2');
    expect(unmappedReason({ unknownStore: 's-9', unknownSkus: [] })).toBe('unknown store s-9');
  });

  it('asks for delivery from the mapped store on the platform channel', () => {
    const order = { platformOrderId: 'P1', platformStore: 'S1', lines: [], totalAmount: 500, currency: 'CNY' };
    expect(orderRequestOf('eleme', order, 'loc-1', [{ sku: 'TEA-1', quantity: 2, unitAmount: 250 }])).toEqual({
      channel: 'eleme',
      buyer: { anonymous: true },
      lines: [{ sku: 'TEA-1', quantity: 2, unitPrice: { amount: 250, currency: 'CNY' } }],
      fulfilment: { type: 'delivery', locationId: 'loc-1' },
    });
  });

  it.each([
    ['2026-01-01T00:01:00.000Z', Date.parse('2026-01-01T00:00:00.000Z'), Date.parse('2026-01-01T00:00:55.000Z')],
    [undefined, 1_000, 31_000],
    ['2020-01-01T00:00:00.000Z', 1_000_000_000_000_000, 1_000_000_000_000_000],
  ])('waits for our decision until a margin before %s', (acceptBy, now, until) => {
    expect(decisionDeadline(acceptBy, now, 30_000)).toBe(until);
  });
});
