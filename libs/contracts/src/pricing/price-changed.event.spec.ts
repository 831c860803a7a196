import { validatePayload } from '../core/payload-validator';
import { sampleEvents } from '../testing/samples';
import { PRICE_CHANGED } from './price-changed.event';

const errors = (result: { ok: boolean; errors?: string[] }): string[] => result.errors ?? [];

describe('price-changed contract', () => {
  it('accepts a base price as a null or absent channel', () => {
    expect(validatePayload(PRICE_CHANGED, sampleEvents.priceChanged({ channel: null })).ok).toBe(true);
    const { channel: _channel, ...base } = sampleEvents.priceChanged();
    expect(validatePayload(PRICE_CHANGED, base).ok).toBe(true);
  });

  it('rejects a malformed channel code', () => {
    expect(errors(validatePayload(PRICE_CHANGED, sampleEvents.priceChanged({ channel: 'Tmall Global' })))).toEqual([
      'channel: channel must be a channel code (1-32 characters of a-z 0-9 -)',
    ]);
  });

  it('accepts a free item but not a float or negative price', () => {
    expect(validatePayload(PRICE_CHANGED, sampleEvents.priceChanged({ price: { amount: 0, currency: 'CNY' } })).ok).toBe(true);
    expect(errors(validatePayload(PRICE_CHANGED, sampleEvents.priceChanged({ price: { amount: 9.99, currency: 'USD' } })))).toEqual([
      'price.amount: amount must be an integer >= 0',
    ]);
    expect(errors(validatePayload(PRICE_CHANGED, sampleEvents.priceChanged({ price: { amount: -100, currency: 'USD' } })))).toEqual([
      'price.amount: amount must be an integer >= 0',
    ]);
  });

  it('rejects a price without a currency and a version of 0', () => {
    const raw = sampleEvents.priceChanged({ price: { amount: 100 } as { amount: number; currency: string }, version: 0 });
    expect(errors(validatePayload(PRICE_CHANGED, raw))).toEqual([
      'price.currency: currency must be an ISO 4217 code of 3 uppercase letters',
      'version: version must be an integer >= 1',
    ]);
  });

  it('keys by SKU', () => {
    const sample = sampleEvents.priceChanged();
    expect(PRICE_CHANGED.key(sample)).toBe(sample.sku);
  });
});
