import { startGateway, type GatewayUnderTest } from './support/gateway-harness';

jest.setTimeout(120_000);

// The platforms' webhooks reach the O2O connector through the gateway (the one public entry) byte for
// byte, with their signature headers, and without an API key; the connector's answer is the
// platform's answer.
describe('platform webhooks through the gateway (real Postgres, Redis, Kafka; stub connector)', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway('gw_o2o_hook');
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('relays the exact body and the signature headers, and answers what the connector answered', async () => {
    const undo = gw.stub.override((call) => (call.path === '/webhooks/eleme' ? { status: 200, body: { answer: 'accepted' } } : undefined));
    // Spacing and key order a JSON round trip would change: the signature covers these bytes.
    const raw = '{ "event":"order.created",  "data": {"total_fen": 1.50e3, "order_id":"DLV1"} }';
    const res = await fetch(`${gw.url}/webhooks/eleme`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-app-key': 'k1', 'x-timestamp': '1700000000000', 'x-sign': 'ab'.repeat(32), 'x-other': 'dropped' },
      body: raw,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ answer: 'accepted' });
    const [relayed] = gw.stub.callsTo('/webhooks/');
    expect(relayed.method).toBe('POST');
    expect(relayed.rawBody).toBe(raw);
    expect(relayed.headers).toMatchObject({ 'x-app-key': 'k1', 'x-timestamp': '1700000000000', 'x-sign': 'ab'.repeat(32) });
    expect(relayed.headers['x-other']).toBeUndefined();
    undo();
  });

  it("passes the connector's refusal of a forged webhook through as 401", async () => {
    const undo = gw.stub.override((call) =>
      call.path === '/webhooks/tmall' ? { status: 401, body: { code: 'WEBHOOK_SIGNATURE_INVALID', message: 'the webhook signature is forged' } } : undefined,
    );
    const res = await fetch(`${gw.url}/webhooks/tmall`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mkt-sign': '00' }, body: '{"topic":"x"}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    undo();
  });

  it('refuses a platform name that is not a channel code without calling the connector', async () => {
    const before = gw.stub.callsTo('/webhooks/').length;
    const res = await fetch(`${gw.url}/webhooks/NOT_A_CHANNEL`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(gw.stub.callsTo('/webhooks/').length).toBe(before);
  });
});
