import { call, KEYS, startGateway, type Answer, type GatewayUnderTest } from './support/gateway-harness';
import type { StubAnswer, StubCall } from './support/upstream-stub';
import { VALID_REQUESTS } from './support/valid-requests';

jest.setTimeout(120_000);

const ORDER_ID = '01936d2a-0000-7000-8000-0000000000f1';

/** The order service's view of an order, as POST /orders answers it. */
function orderView(status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    id: ORDER_ID,
    channel: 'app',
    status,
    buyer: { anonymous: true },
    fulfilment: { type: 'ship' },
    lines: [{ lineNo: 0, sku: 'TEA-250', quantity: 1, unitPrice: 9400, discountShare: 0, returnedQuantity: 0 }],
    currency: 'CNY',
    goodsTotal: 9400,
    discountTotal: 0,
    total: 9400,
    payable: 9400,
    coupons: [],
    promotions: [],
    points: null,
    giftCard: null,
    quoteId: null,
    routing: { assignments: [] },
    rejection: null,
    paymentDeadline: new Date(now + 15 * 60_000).toISOString(),
    paymentRef: null,
    paidAt: null,
    cancelReason: null,
    pickupCode: null,
    carrier: null,
    trackingNumber: null,
    saga: status === 'created' ? 'trying' : 'tried',
    createdAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
    ...extra,
  };
}

const placeOrder = VALID_REQUESTS.Order_place;
const app = { 'x-api-key': KEYS.app };

function place(gw: GatewayUnderTest, key: string, body: unknown = placeOrder.body, headers: Record<string, string> = app): Promise<Answer> {
  return call(`${gw.url}/orders`, { method: 'POST', headers: { ...headers, 'idempotency-key': key }, body });
}

const isPlacement = (c: StubCall) => c.method === 'POST' && c.path === '/orders';

describe('gateway backpressure on the buyer path (real Postgres, Redis, Kafka; stub upstreams)', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway('gw_backpressure', {
      UPSTREAM_MAX_IN_FLIGHT: '2',
      UPSTREAM_MAX_QUEUED: '2',
      UPSTREAM_MAX_QUEUE_WAIT_MS: '1500',
      ORDER_PLACE_TIMEOUT_MS: '1000',
    });
  });

  afterAll(async () => {
    await gw?.close();
  });

  /** Puts `answer` in front of the stub's POST /orders until the test ends. */
  function orderAnswers(answer: (c: StubCall) => StubAnswer): void {
    const restore = gw.stub.override((c) => (isPlacement(c) ? answer(c) : undefined));
    restores.push(restore);
  }
  const restores: Array<() => void> = [];
  afterEach(() => restores.splice(0).forEach((restore) => restore()));

  it('lets a retry with the same Idempotency-Key join the placement in flight: one request to the order service, the same answer twice', async () => {
    orderAnswers(() => ({ status: 201, body: orderView('reserved'), delayMs: 300 }));
    const before = gw.stub.calls.filter(isPlacement).length;
    const [first, retry] = await Promise.all([place(gw, 'joined-attempt-0001'), place(gw, 'joined-attempt-0001')]);
    expect(gw.stub.calls.filter(isPlacement).length - before).toBe(1);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    // Another body under the same key is not the same request: it is sent, for the order service to refuse.
    const other = { ...(placeOrder.body as Record<string, unknown>), lines: [{ sku: 'TEA-250', quantity: 2 }], quoteId: undefined };
    await Promise.all([place(gw, 'joined-attempt-0002'), place(gw, 'joined-attempt-0002', other)]);
    expect(gw.stub.calls.filter(isPlacement).length - before).toBe(3);
  });

  it('never tells a buyer "reserved" once the payment deadline has passed, as a retry late in the window would be answered', async () => {
    const deadline = new Date(Date.now() - 1_000).toISOString();
    orderAnswers(() => ({ status: 201, body: orderView('reserved', { paymentDeadline: deadline }) }));
    const late = await place(gw, 'late-attempt-0001');
    expect(late).toMatchObject({ status: 409, body: { code: 'PAYMENT_WINDOW_CLOSED', message: expect.stringContaining(`Order ${ORDER_ID} was reserved until ${deadline}`) } });
  });
});
