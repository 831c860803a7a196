import Ajv from 'ajv';
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The parts of the OpenAPI document this suite reads. */
interface DocumentedResponse {
  description: string;
  content?: { 'application/json'?: { schema: object } };
  headers?: Record<string, unknown>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, DocumentedResponse> }>>;
  components: { schemas: Record<string, object> };
}

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

  it('answers payment callbacks in a lane of their own while placements fill the order lane and are shed', async () => {
    orderAnswers(() => ({ status: 201, body: orderView('reserved'), delayMs: 1_000 }));
    // 2 in flight and 2 queued fill the order lane; the next placements are refused with 429.
    const placements = Array.from({ length: 6 }, (_, i) => place(gw, `lane-attempt-000${i}`));
    await sleep(200);
    const { headers, body } = VALID_REQUESTS.PaymentCallback_callback;
    const started = Date.now();
    const paid = await call(`${gw.url}/payments/callback`, { method: 'POST', headers: headers as Record<string, string>, body });
    // Answered at once, not after the placements ahead of it (about 2 s of them).
    expect([paid.status, paid.body.outcome]).toEqual([200, 'captured']);
    expect(Date.now() - started).toBeLessThan(800);
    const answers = await Promise.all(placements);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThan(0);
  });

  it('answers POST /orders only as its OpenAPI operation documents, overload included: each status listed with its body schema, 429 and 503 with Retry-After', async () => {
    const document = (await call(`${gw.url}/docs-json`)).body as unknown as OpenApiDocument;
    const documented = document.paths['/orders'].post.responses;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: 'gateway', components: document.components });
    const matches = (schema: object, body: unknown): string | null => {
      const validate = ajv.compile({ $id: `answer-${Math.random()}`, allOf: [schema] });
      return validate(body) ? null : ajv.errorsText(validate.errors);
    };
    // Resolve the document's own refs against the registered copy.
    const schemaOf = (response: DocumentedResponse): object | undefined => {
      const schema = response.content?.['application/json']?.schema as { $ref?: string } | undefined;
      return schema?.$ref ? { $ref: `gateway${schema.$ref}` } : schema;
    };

    // The order service, by the key's prefix: slow decisions, a stall past ORDER_PLACE_TIMEOUT_MS, a
    // reservation answered after its deadline, a reused key, a failure.
    const slow = [orderView('reserved'), orderView('created'), orderView('rejected', { rejection: [{ lineNo: 0, code: 'INSUFFICIENT_STOCK', message: 'Only 0 left' }], cancelReason: 'rejected' })];
    orderAnswers((c) => {
      const key = String(c.headers['idempotency-key']).replace(/^app:/, '');
      const n = Number(/-(\d+)$/.exec(key)?.[1] ?? 0);
      if (key.startsWith('slow-')) return { status: n % 3 === 1 ? 202 : 201, body: slow[n % 3], delayMs: 700 };
      if (key.startsWith('stall-')) return { status: 201, body: orderView('reserved'), delayMs: 2_000 };
      if (key.startsWith('late-')) return { status: 201, body: orderView('reserved', { paymentDeadline: new Date(Date.now() - 1).toISOString() }) };
      if (key.startsWith('reused-')) return { status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED', message: 'This Idempotency-Key was already used for a different request' } };
      return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'boom' } };
    });
    const observed: Array<{ what: string; key?: string; answer: Answer }> = [];
    const record = (what: string, answer: Answer, key?: string) => void observed.push({ what, answer, key });

    // Overload: each placement takes the order service 700 ms; 2 fit in flight and 2 in the queue,
    // the rest are refused before anything is sent. Staggered, so each one's quote read is done.
    const flood: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      const key = `slow-attempt-${i}`;
      flood.push(place(gw, key).then((answer) => record(`placement ${i} of a flood`, answer, key)));
      await sleep(40);
    }
    await Promise.all(flood);
    record('a decision slower than ORDER_PLACE_TIMEOUT_MS', await place(gw, 'stall-attempt-1'));
    record('a reservation answered after its deadline', await place(gw, 'late-attempt-1'));
    record('a key the order service saw with another body', await place(gw, 'reused-attempt-1'));
    record('an order service failing', await place(gw, 'broken-attempt-1'));
    record('no Idempotency-Key', await call(`${gw.url}/orders`, { method: 'POST', headers: app, body: placeOrder.body }));
    record('a malformed body', await place(gw, 'bad-body-attempt-1', { ...(placeOrder.body as object), lines: [{ sku: 'TEA-250', quantity: 0 }] }));
    record('a body that is not JSON', await call(`${gw.url}/orders`, { method: 'POST', headers: { ...app, 'idempotency-key': 'text-attempt-1', 'content-type': 'text/plain' }, rawBody: 'lines=1' }));
    record('a huge body', await place(gw, 'huge-attempt-1', { ...(placeOrder.body as object), padding: 'x'.repeat(2_000_000) }));
    record('a member order without member credentials', await place(gw, 'member-attempt-1', { ...(placeOrder.body as object), buyer: { anonymous: false } }));
    record('an unknown quote', await place(gw, 'quote-attempt-1', { ...(placeOrder.body as object), quoteId: '01936d2a-0000-7000-8000-0000000000c9' }));
    record('a SKU the channel does not sell', await place(gw, 'sku-attempt-1', { ...(placeOrder.body as object), lines: [{ sku: 'NOT-SOLD-1', quantity: 1 }] }));
    const created = await call(`${gw.url}/admin/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${gw.staffToken(['admin'])}` }, body: { name: 'one a minute', channel: 'app', rateLimitPerMinute: 1 } });
    const tiny = { 'x-api-key': created.body.key as string };
    await place(gw, 'limited-attempt-1', placeOrder.body, tiny);
    record('a key past its rate limit', await place(gw, 'limited-attempt-2', placeOrder.body, tiny));

    const problems: string[] = [];
    for (const { what, answer } of observed) {
      const response = documented[String(answer.status)];
      if (!response) {
        problems.push(`${what}: ${answer.status} ${answer.text.slice(0, 80)} is not documented`);
        continue;
      }
      const schema = schemaOf(response);
      const mismatch = schema ? matches(schema, answer.body) : 'no body schema documented';
      if (mismatch) problems.push(`${what}: ${answer.status} body does not match the documented schema: ${mismatch}`);
      if (response.headers?.['Retry-After'] && !/^[1-9]\d*$/.test(answer.headers.get('retry-after') ?? '')) problems.push(`${what}: ${answer.status} without Retry-After`);
    }
    expect(problems).toEqual([]);
    // Not vacuous: the run saw every answer a buyer's app must handle, overload and timeout included.
    expect([...new Set(observed.map((o) => o.answer.status))].sort()).toEqual([201, 202, 400, 401, 404, 409, 413, 415, 422, 429, 502, 503]);
    for (const status of ['429', '503']) expect(documented[status].headers).toHaveProperty('Retry-After');
    expect(observed.map((o) => o.answer.body.code)).toEqual(expect.arrayContaining(['ORDER_BUSY', 'ORDER_TIMEOUT', 'RATE_LIMITED', 'PAYMENT_WINDOW_CLOSED']));

    // Shedding comes before sending: no refused placement reached the order service, every one that did was answered by it.
    const sent = new Set(gw.stub.calls.filter(isPlacement).map((c) => c.headers['idempotency-key']));
    const flooded = observed.filter((o) => o.key?.startsWith('slow-'));
    expect(flooded.filter((o) => o.answer.body.code === 'ORDER_BUSY').length).toBeGreaterThan(0);
    const outcomes = flooded.map(({ key, answer }) => ({ key, sent: sent.has(`app:${key}`), answer: answer.status === 429 ? answer.body.code : `${answer.status} ${String(answer.body.status)}` }));
    // (On a loaded machine the quote read may be the one refused, PRICING_BUSY: sent nowhere either.)
    expect(outcomes).toEqual(outcomes.map(({ key, sent: wasSent }) => ({ key, sent: wasSent, answer: wasSent ? expect.stringMatching(/^(201 reserved|202 created|201 rejected)$/) : expect.stringMatching(/^[A-Z]+_BUSY$/) })));
    // Operators see it: the shed counter and the occupancy gauges per upstream.
    const metrics = (await call(`${gw.url}/metrics`)).text;
    expect(Number(/^gateway_upstream_shed_total\{[^}]*upstream="order"[^}]*reason="queue-full"[^}]*\} (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^gateway_upstream_in_flight\{[^}]*upstream="order"[^}]*\} 0$/m);
    expect(metrics).toMatch(/^gateway_upstream_queued\{[^}]*upstream="pricing"[^}]*\} 0$/m);
  });

  it('never tells a buyer "reserved" once the payment deadline has passed, as a retry late in the window would be answered', async () => {
    const deadline = new Date(Date.now() - 1_000).toISOString();
    orderAnswers(() => ({ status: 201, body: orderView('reserved', { paymentDeadline: deadline }) }));
    const late = await place(gw, 'late-attempt-0001');
    expect(late).toMatchObject({ status: 409, body: { code: 'PAYMENT_WINDOW_CLOSED', message: expect.stringContaining(`Order ${ORDER_ID} was reserved until ${deadline}`) } });
  });
});
