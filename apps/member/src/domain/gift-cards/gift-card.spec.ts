import { canFreezeAmount, canRefund, GIFT_CARD_CODE, GIFT_CARD_PIN, GiftCardBalance, newGiftCardSecrets } from './gift-card';

const card = (balance: number, frozen = 0, status: GiftCardBalance['status'] = 'active'): GiftCardBalance => ({ balance, frozen, status });

describe('gift card spends', () => {
  it.each([
    ['part of the balance', card(10_000), 1_000, 'ok'],
    ['exactly the balance', card(10_000), 10_000, 'ok'],
    ['what is left after another order froze some', card(10_000, 9_000), 1_000, 'ok'],
    ['more than is left', card(10_000, 9_001), 1_000, 'GIFT_CARD_INSUFFICIENT'],
    ['more than the balance', card(10_000), 10_001, 'GIFT_CARD_INSUFFICIENT'],
    ['zero', card(10_000), 0, 'GIFT_CARD_AMOUNT_INVALID'],
    ['a fraction of a minor unit', card(10_000), 10.5, 'GIFT_CARD_AMOUNT_INVALID'],
    ['a blocked card', card(10_000, 0, 'blocked'), 100, 'GIFT_CARD_BLOCKED'],
  ])('freezing %s', (_name, c, amount, expected) => {
    const result = canFreezeAmount(c, amount);
    expect(result.ok ? 'ok' : result.code).toBe(expected);
  });

  it.each([
    [500, 1_000, 0, 'ok'],
    [1_000, 1_000, 0, 'ok'],
    [600, 1_000, 500, 'GIFT_CARD_REFUND_EXCEEDS_SPEND'],
    [0, 1_000, 0, 'GIFT_CARD_AMOUNT_INVALID'],
  ])('refunding %i after spending %i (refunded %i)', (amount, spent, refunded, expected) => {
    const result = canRefund(amount, spent, refunded);
    expect(result.ok ? 'ok' : result.code).toBe(expected);
  });

  it('makes codes and PINs of the documented shape', () => {
    const { code, pin } = newGiftCardSecrets();
    expect(code).toMatch(GIFT_CARD_CODE);
    expect(pin).toMatch(GIFT_CARD_PIN);
  });
});
