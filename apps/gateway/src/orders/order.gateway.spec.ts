import type { ChannelPrincipal } from '../auth/principal';
import type { CartService } from '../cart/cart.service';
import type { PricingGateway, StoredQuote } from '../pricing/pricing.gateway';
import type { SoldOutFastPath } from '../sold-out/sold-out.fast-path';
import type { Upstreams } from '../upstream/upstreams';
import type { PlaceOrderDto } from './order.dto';
import { buyerOf, OrderGateway } from './order.gateway';

// What the gateway sends the order service when a channel places an order (the upstream answers
// are recorded in-process here; the HTTP relay itself is covered by the gateway's integration suites).
describe('OrderGateway.place', () => {
  const principal: ChannelPrincipal = { kind: 'channel', keyId: 'k1', channel: 'app', locationId: null } as ChannelPrincipal;
  const QUOTE = '01936d2a-0000-7000-8000-0000000000c1';
  // Two teas on a flash sale (600 off each) plus a coupon share: 2 × 3000 − 1200 − 500 = 4300.
  const STORED: StoredQuote = {
    quoteId: QUOTE,
    channel: 'app',
    currency: 'CNY',
    expiresAt: '2026-11-22T03:00:00.000Z',
    lines: [
      { sku: 'TEA-250', quantity: 2, unitPrice: 3000, discounts: [{ ruleId: 'flash-tea', amount: 1200 }, { ruleId: 'welcome', amount: 500, couponCode: 'WELCOME5' }], discountTotal: 1700 },
    ],
    subtotal: 6000,
    discountTotal: 1700,
    total: 4300,
  };
  const WALLET_COUPON = '01936d2a-0000-7000-8000-0000000000d1';
  const member = { kind: 'member' as const, memberId: '01936d2a-0000-7000-8000-0000000000a7', channel: 'app', via: 'token' as const };
  let sent: { path: string; body: Record<string, unknown> }[];
  let gateway: OrderGateway;
  /** The order service answers once this settles, with `orderAnswer`. */
  let orderHeld: Promise<unknown>;
  let orderAnswer: { status: number; body: unknown };

  beforeEach(() => {
    sent = [];
    orderHeld = Promise.resolve();
    orderAnswer = { status: 201, body: { id: 'o1' } };
    const wallet = [{ couponId: WALLET_COUPON, code: 'WELCOME5', status: 'available', validFrom: '2020-01-01T00:00:00.000Z', validTo: '2999-01-01T00:00:00.000Z' }];
    const upstreams = {
      order: {
        call: async (req: { path: string; body: Record<string, unknown> }) => {
          sent.push(req);
          await orderHeld;
          return orderAnswer;
        },
      },
      // The member's wallet holds one WELCOME5 coupon.
      member: { call: async (req: { path: string }) => ({ status: 200, body: req.path === `internal/members/${member.memberId}/coupons` ? wallet : [] }) },
    } as unknown as Upstreams;
    const cart = { channelLines: (_p: ChannelPrincipal, lines: { sku: string; quantity: number }[]) => lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) } as unknown as CartService;
    const pricing = {
      unitPrices: async () => new Map([['TEA-250', { unit: { amount: 3000, currency: 'CNY' } }]]),
      storedQuote: async (channel: string, id: string) => (channel === 'app' && id === QUOTE ? STORED : null),
    } as unknown as PricingGateway;
    // Nothing is sold out here (the fast path has its own suite: test/sold-out-place.int-spec.ts).
    const soldOut = { admit: async () => undefined } as unknown as SoldOutFastPath;
    gateway = new OrderGateway(upstreams, cart, pricing, soldOut, { ORDER_PLACE_TIMEOUT_MS: 10_000 });
  });

  const body = (extra: Partial<PlaceOrderDto> = {}): PlaceOrderDto =>
    ({ buyer: { anonymous: true }, lines: [{ sku: 'TEA-250', quantity: 2 }], fulfilment: { type: 'ship', address: { line1: '1 Lake Rd', city: 'Hangzhou', country: 'CN' } }, ...extra }) as PlaceOrderDto;

  it("prices the order from the buyer's quote: its unit prices, promotions and coupons (each a coupon the member's wallet holds), and passes the quote on", async () => {
    await gateway.place(principal, member, body({ quoteId: QUOTE, buyer: { anonymous: false } } as Partial<PlaceOrderDto>), 'order-attempt-0001');
    expect(sent).toHaveLength(1);
    expect(sent[0].path).toBe('orders');
    // Placing waits for the saga's decision: its own timeout, above the order service's decision wait.
    expect(sent[0]).toMatchObject({ timeoutMs: 10_000 });
    expect(sent[0].body).toMatchObject({
      channel: 'app',
      quoteId: QUOTE,
      lines: [{ sku: 'TEA-250', quantity: 2, unitPrice: { amount: 3000, currency: 'CNY' } }],
      promotions: [{ ruleId: 'flash-tea', discount: 1200 }],
      coupons: [{ code: 'WELCOME5', discount: 500, couponId: WALLET_COUPON }],
    });
  });

  it('refuses a quote whose coupon the buyer does not hold in a wallet (409), a guest holding none', async () => {
    const other = { ...member, memberId: '01936d2a-0000-7000-8000-0000000000a9' };
    await expect(gateway.place(principal, other, body({ quoteId: QUOTE, buyer: { anonymous: false } } as Partial<PlaceOrderDto>), 'k-1')).rejects.toMatchObject({ code: 'COUPON_NOT_IN_WALLET', httpStatus: 409 });
    await expect(gateway.place(principal, undefined, body({ quoteId: QUOTE }), 'k-2')).rejects.toMatchObject({ code: 'COUPON_NOT_IN_WALLET', httpStatus: 409 });
    expect(sent).toEqual([]);
  });

  it('refuses a quote of another cart (409) or an unknown one (404) before the order service hears of it', async () => {
    await expect(gateway.place(principal, undefined, body({ quoteId: QUOTE, lines: [{ sku: 'TEA-250', quantity: 3 }] } as Partial<PlaceOrderDto>), 'k-3')).rejects.toMatchObject({
      code: 'QUOTE_LINES_MISMATCH',
      httpStatus: 409,
    });
    await expect(gateway.place(principal, undefined, body({ quoteId: '01936d2a-0000-7000-8000-0000000000c2' }), 'k-4')).rejects.toMatchObject({ code: 'QUOTE_NOT_FOUND', httpStatus: 404 });
    await expect(gateway.place({ ...principal, channel: 'tmall' } as ChannelPrincipal, undefined, body({ quoteId: QUOTE }), 'k-5')).rejects.toMatchObject({ code: 'QUOTE_NOT_FOUND' });
    expect(sent).toEqual([]);
  });

  it("sends no quoteId when the buyer has none, and prices at the channel's unit prices", async () => {
    await gateway.place(principal, undefined, body(), 'order-attempt-0002');
    expect(sent[0].body).not.toHaveProperty('quoteId');
    expect(sent[0].body).not.toHaveProperty('promotions');
    expect(sent[0].body).toMatchObject({ lines: [{ sku: 'TEA-250', quantity: 2, unitPrice: { amount: 3000, currency: 'CNY' } }] });
  });

  it('orders as the member the credentials name, never a member from the body', async () => {
    await gateway.place(principal, member, body({ buyer: { anonymous: false } } as Partial<PlaceOrderDto>), 'order-attempt-0003');
    expect(sent[0].body).toMatchObject({ buyer: { memberId: member.memberId, anonymous: false } });
    expect(() => buyerOf(undefined, false)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED', httpStatus: 401 }));
    expect(() => buyerOf(member, true)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', httpStatus: 400 }));
    expect(buyerOf(undefined, true)).toEqual({ anonymous: true });
  });

  it('lets a retry with the same key and body join the placement in flight: one order request, one answer for both', async () => {
    let answer!: () => void;
    orderHeld = new Promise<void>((resolve) => (answer = resolve));
    const first = gateway.place(principal, undefined, body(), 'order-attempt-0009');
    const retry = gateway.place(principal, undefined, body(), 'order-attempt-0009');
    // The same key with another body goes to the order service, which refuses the reuse (409).
    const other = gateway.place(principal, undefined, body({ lines: [{ sku: 'TEA-250', quantity: 5 }] } as Partial<PlaceOrderDto>), 'order-attempt-0009');
    // Another buyer (a signed-in member) with the same key and body is another request too.
    const asMember = gateway.place(principal, member, body({ buyer: { anonymous: false } } as Partial<PlaceOrderDto>), 'order-attempt-0009');
    await new Promise((resolve) => setImmediate(resolve));
    answer();
    const answers = await Promise.all([first, retry, other, asMember]);
    expect(answers[1]).toBe(answers[0]);
    expect(sent.map((s) => s.body.lines)).toEqual([[expect.objectContaining({ quantity: 2 })], [expect.objectContaining({ quantity: 5 })], [expect.objectContaining({ quantity: 2 })]]);
    // Once answered, a retry reaches the order service again (which answers from the stored order).
    await gateway.place(principal, undefined, body(), 'order-attempt-0009');
    expect(sent).toHaveLength(4);
  });

  it('never relays "reserved" once its payment deadline has passed: 409 PAYMENT_WINDOW_CLOSED naming the order instead', async () => {
    const reserved = (deadline: number) => ({ status: 201, body: { id: 'o1', status: 'reserved', paymentDeadline: new Date(deadline).toISOString() } });
    orderAnswer = reserved(Date.now() + 60_000);
    await expect(gateway.place(principal, undefined, body(), 'window-0001')).resolves.toMatchObject({ status: 201, body: { status: 'reserved' } });
    // A retry answered after the deadline (the order service still holds the reservation for a late payment report).
    orderAnswer = reserved(Date.now() - 1);
    await expect(gateway.place(principal, undefined, body(), 'window-0001')).rejects.toMatchObject({
      code: 'PAYMENT_WINDOW_CLOSED',
      httpStatus: 409,
      message: expect.stringMatching(/^Order o1 was reserved until .*GET \/orders\/o1/),
    });
    orderAnswer = { status: 201, body: { id: 'o1', status: 'reserved' } };
    await expect(gateway.place(principal, undefined, body(), 'window-0001')).rejects.toMatchObject({ status: 502, response: { code: 'ORDER_BAD_RESPONSE' } });
    // Other answers are the order's state as it is: a pending decision, a refusal, a cancelled order.
    for (const status of ['created', 'rejected', 'cancelled', 'paid']) {
      orderAnswer = { status: status === 'created' ? 202 : 201, body: { id: 'o1', status, paymentDeadline: new Date(Date.now() - 1).toISOString() } };
      await expect(gateway.place(principal, undefined, body(), 'window-0001')).resolves.toMatchObject({ body: { status } });
    }
  });

  it("refuses a member's quote for another buyer (409) before the order service hears of it", async () => {
    const other = { ...member, memberId: '01936d2a-0000-7000-8000-0000000000a8' };
    (STORED as { memberId?: string }).memberId = member.memberId;
    try {
      await expect(gateway.place(principal, other, body({ quoteId: QUOTE, buyer: { anonymous: false } } as Partial<PlaceOrderDto>), 'k-6')).rejects.toMatchObject({ code: 'QUOTE_OF_OTHER_BUYER', httpStatus: 409 });
      await expect(gateway.place(principal, undefined, body({ quoteId: QUOTE }), 'k-7')).rejects.toMatchObject({ code: 'QUOTE_OF_OTHER_BUYER' });
      expect(sent).toEqual([]);
      await gateway.place(principal, member, body({ quoteId: QUOTE, buyer: { anonymous: false } } as Partial<PlaceOrderDto>), 'k-8');
      expect(sent).toHaveLength(1);
    } finally {
      delete (STORED as { memberId?: string }).memberId;
    }
  });
});
