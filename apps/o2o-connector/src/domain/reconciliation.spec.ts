import type { SettlementLine } from './platform-adapter.port';
import { commissionOf, reconcile, summarise, type OurPlatformOrder } from './reconciliation';

const RATE = 800; // 8 %
const ours = (platformOrderId: string, totalAmount: number): OurPlatformOrder => ({
  platformOrderId,
  orderId: `o-${platformOrderId}`,
  totalAmount,
  currency: 'CNY',
});
const stated = (platformOrderId: string, gross: number, commission = commissionOf(gross, RATE), net = gross - commission, currency = 'CNY'): SettlementLine => ({
  platformOrderId,
  grossAmount: gross,
  commissionAmount: commission,
  netAmount: net,
  currency,
});

describe('commissionOf', () => {
  it.each([
    [10_000, 800, 800],
    [1_999, 800, 160], // 159.92 → 160
    [1_006, 500, 50], // 50.3 → 50
    [1_010, 500, 51], // 50.5 → 51, half up
    [0, 800, 0],
  ])('%d at %d bps is %d', (gross, bps, commission) => expect(commissionOf(gross, bps)).toBe(commission));
});

describe('reconcile', () => {
  it.each([
    ['a clean day', [stated('P1', 1000), stated('P2', 2500)], [ours('P1', 1000), ours('P2', 2500)], { P1: 'matched', P2: 'matched' }, {}],
    ['an order the statement lacks', [stated('P1', 1000)], [ours('P1', 1000), ours('P2', 2500)], { P1: 'matched', P2: 'missing' }, {}],
    ['a statement line we have no order for', [stated('P1', 1000), stated('P9', 700)], [ours('P1', 1000)], { P1: 'matched', P9: 'extra' }, {}],
    ['a wrong commission (net follows it)', [stated('P1', 1000, 100, 900)], [ours('P1', 1000)], { P1: 'amount-mismatched' }, { P1: ['commission', 'net'] }],
    ['a wrong gross amount', [stated('P1', 1200)], [ours('P1', 1000)], { P1: 'amount-mismatched' }, { P1: ['gross', 'commission', 'net'] }],
    ['a wrong net alone', [stated('P1', 1000, 80, 910)], [ours('P1', 1000)], { P1: 'amount-mismatched' }, { P1: ['net'] }],
    ['another currency', [stated('P1', 1000, 80, 920, 'USD')], [ours('P1', 1000)], { P1: 'amount-mismatched' }, { P1: ['currency'] }],
    ['one order stated twice', [stated('P1', 1000), stated('P1', 1000)], [ours('P1', 1000)], { P1: 'matched' }, {}],
    ['nothing either side', [], [], {}, {}],
  ])('%s', (_name, statement, orders, statuses, fields) => {
    const lines = reconcile(statement, orders, RATE);
    const byId: Record<string, string> = {};
    for (const line of lines) byId[line.platformOrderId] = byId[line.platformOrderId] ? `${byId[line.platformOrderId]},${line.status}` : line.status;
    if (_name === 'one order stated twice') expect(byId).toEqual({ P1: 'matched,extra' });
    else expect(byId).toEqual(statuses);
    for (const line of lines) expect(line.fields).toEqual((fields as Record<string, string[]>)[line.platformOrderId] ?? []);
  });

  it('finds each planted mismatch among many clean lines and nothing else', () => {
    const orders = Array.from({ length: 200 }, (_, i) => ours(`P${String(i).padStart(3, '0')}`, 1_000 + i * 37));
    const statement = orders.map((order) => stated(order.platformOrderId, order.totalAmount));
    statement.splice(10, 1); // P010 missing from the statement
    statement.push(stated('P999', 4_200)); // extra
    statement[20] = stated(statement[20].platformOrderId, statement[20].grossAmount, 1, statement[20].grossAmount - 1); // wrong commission
    statement[30] = stated(statement[30].platformOrderId, statement[30].grossAmount + 100); // wrong amount
    const lines = reconcile(statement, orders, RATE);
    expect(summarise(lines)).toEqual({ matched: 197, missing: 1, extra: 1, 'amount-mismatched': 2 });
    expect(lines.filter((line) => line.status !== 'matched').map((line) => `${line.platformOrderId} ${line.status} ${line.fields.join('+')}`)).toEqual([
      'P010 missing ',
      'P021 amount-mismatched commission+net',
      'P031 amount-mismatched gross+commission+net',
      'P999 extra ',
    ]);
  });
});
