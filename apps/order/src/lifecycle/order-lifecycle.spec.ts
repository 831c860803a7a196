import { ORDER_STATUSES } from '@omni/contracts';
import { DomainError } from '@omni/platform';
import {
  nextOrderStatus,
  ORDER_TRANSITIONS,
  OrderEvent,
  OrderStatus,
  orderSourcesOf,
  RETURN_TRANSITIONS,
  ReturnDisposition,
  ReturnStatus,
  transitionOrder,
  transitionReturn,
} from './order-lifecycle';

const EVENTS: OrderEvent[] = ['reserve', 'reject', 'pay', 'start-picking', 'ready-for-pickup', 'ship', 'complete', 'cancel', 'channel-cancel', 'late-payment'];
const ALLOWED: Record<string, OrderStatus> = {
  'created/reserve': 'reserved',
  'created/reject': 'rejected',
  'created/cancel': 'cancelled',
  'reserved/pay': 'paid',
  'reserved/cancel': 'cancelled',
  'paid/start-picking': 'picking',
  'picking/ready-for-pickup': 'ready_for_pickup',
  'picking/ship': 'shipped',
  'ready_for_pickup/complete': 'completed',
  'ready_for_pickup/ship': 'shipped',
  'created/channel-cancel': 'cancelled',
  'reserved/channel-cancel': 'cancelled',
  'paid/channel-cancel': 'cancelled',
  'picking/channel-cancel': 'cancelled',
  'ready_for_pickup/channel-cancel': 'cancelled',
  'shipped/complete': 'completed',
  'cancelled/late-payment': 'refund_required',
  'rejected/late-payment': 'refund_required',
};

describe('order transition table', () => {
  const cases = (Object.keys(ORDER_TRANSITIONS) as OrderStatus[]).flatMap((s) => EVENTS.map((e) => [s, e] as const));

  it('has a row for every status the contracts list (and the gateway documents), and no other', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it.each(cases)('%s + %s', (status, event) => {
    const expected = ALLOWED[`${status}/${event}`];
    expect(nextOrderStatus(status, event)).toBe(expected ?? null);
    if (expected) expect(transitionOrder(status, event)).toBe(expected);
    else {
      expect(() => transitionOrder(status, event)).toThrow(DomainError);
      try {
        transitionOrder(status, event);
      } catch (error) {
        expect((error as DomainError).code).toBe('ORDER_ILLEGAL_TRANSITION');
        expect((error as DomainError).httpStatus).toBe(409);
      }
    }
  });

  it('a paid order can no longer be cancelled, a cancelled one never paid', () => {
    expect(orderSourcesOf('cancel').sort()).toEqual(['created', 'reserved']);
    expect(orderSourcesOf('pay')).toEqual(['reserved']);
  });
});

describe('return transition table', () => {
  const dispositions: ReturnDisposition[] = ['restock', 'outlet', 'write-off'];
  const cases = (Object.keys(RETURN_TRANSITIONS) as ReturnStatus[]).flatMap((s) => dispositions.map((d) => [s, d] as const));

  it.each(cases)('%s + %s', (status, disposition) => {
    if (status === 'received') {
      expect(transitionReturn(status, disposition)).toBe({ restock: 'restocked', outlet: 'outlet', 'write-off': 'written_off' }[disposition]);
    } else {
      expect(() => transitionReturn(status, disposition)).toThrow('cannot');
    }
  });
});
