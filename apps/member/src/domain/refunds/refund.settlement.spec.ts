import { refundDue } from './refund.settlement';

const none = { pointsReversed: 0, giftCardRefunded: 0 };

describe('refundDue', () => {
  it.each([
    // paid, gift card, earned, refunded so far, settled → points, gift card
    [10_000, 0, 100, 10_000, none, 100, 0],
    [10_000, 0, 100, 2_500, none, 25, 0],
    [10_000, 0, 100, 2_500, { pointsReversed: 25, giftCardRefunded: 0 }, 0, 0],
    [6_000, 4_000, 60, 5_000, none, 30, 2_000],
    [6_000, 4_000, 60, 10_000, { pointsReversed: 30, giftCardRefunded: 2_000 }, 30, 2_000],
    // More refunded than the order cost counts as the whole order.
    [6_000, 4_000, 60, 99_999, none, 60, 4_000],
    // An order paid wholly by gift card earned nothing but gets its card back.
    [0, 5_000, 0, 5_000, none, 0, 5_000],
    [0, 0, 0, 100, none, 0, 0],
  ])('paid %i + card %i, earned %i, refunded %i → %i points, %i to the card', (paid, card, earned, refunded, settled, points, giftCard) => {
    expect(refundDue({ paid, giftCardSpent: card, earned }, refunded, settled)).toMatchObject({ points, giftCard });
  });

  it('settles partial refunds to the same total whatever their order', () => {
    const basis = { paid: 7_001, giftCardSpent: 2_999, earned: 77 };
    const refunds = [1_234, 3_333, 5_433];
    const run = (order: number[]) => {
      let settled = none;
      let total = 0;
      for (const amount of order) {
        total += amount;
        const due = refundDue(basis, total, settled);
        settled = { pointsReversed: settled.pointsReversed + due.points, giftCardRefunded: settled.giftCardRefunded + due.giftCard };
      }
      return settled;
    };
    expect(run(refunds)).toEqual({ pointsReversed: 77, giftCardRefunded: 2_999 });
    expect(run([...refunds].reverse())).toEqual({ pointsReversed: 77, giftCardRefunded: 2_999 });
  });
});
