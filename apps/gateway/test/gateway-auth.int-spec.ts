import { JwtService } from '@nestjs/jwt';
import { STAFF_ROLES, type StaffRole } from '../src/auth/principal';
import { DEV_STAFF_JWT_SECRET } from '../src/config/gateway.config';
import { call, KEYS, OTHER_STORE, STORE, startGateway, type GatewayUnderTest } from './support/gateway-harness';
import { documentedOperations, fillPath, queryString, VALID_REQUESTS, signMemberRequests, type DocumentedOperation } from './support/valid-requests';

jest.setTimeout(120_000);

const ALL_ROLES: readonly StaffRole[] = STAFF_ROLES;

describe('gateway authentication and roles (real Postgres, Redis, Kafka; stub upstreams)', () => {
  let gw: GatewayUnderTest;
  let operations: DocumentedOperation[];

  beforeAll(async () => {
    gw = await startGateway('gw_auth');
    signMemberRequests(gw);
    const docs = await call(`${gw.url}/docs-json`);
    expect(docs.status).toBe(200);
    operations = documentedOperations(docs.body);
    // Revoking needs a key that exists; revoking it again is a no-op answered with the key.
    const created = await call(`${gw.url}/admin/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${gw.staffToken(['admin'])}` }, body: { name: 'to revoke', channel: 'web' } });
    VALID_REQUESTS.ApiKey_revoke.params = { id: created.body.id as string };
  });

  afterAll(async () => {
    await gw?.close();
  });

  function send(op: DocumentedOperation, headers: Record<string, string>) {
    const valid = VALID_REQUESTS[op.operationId];
    return call(`${gw.url}${fillPath(op.path, valid.params)}${queryString(valid.query)}`, {
      method: op.method,
      headers: { ...(valid.headers ?? {}), ...headers },
      body: valid.body,
    });
  }

  it('has a valid request for every documented operation', () => {
    expect(operations.length).toBeGreaterThan(15);
    expect(operations.map((op) => op.operationId).filter((id) => !VALID_REQUESTS[id])).toEqual([]);
  });

  it('back-office routes: 401 without or with bad credentials, 403 for channel keys and wrong roles, 2xx for the role and for admin', async () => {
    const staffOps = operations.filter((op) => op.security === 'staff');
    expect(staffOps.length).toBeGreaterThanOrEqual(15);
    const forged = new JwtService().sign({ roles: ['admin'] }, { secret: 'not-the-gateway-secret-0123456789abcdef', issuer: 'omni-staff', subject: 'mallory' });
    const otherIssuer = new JwtService().sign({ roles: ['admin'] }, { secret: DEV_STAFF_JWT_SECRET, issuer: 'elsewhere', subject: 'mallory' });
    const noneAlg = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"m","roles":["admin"],"iss":"omni-staff"}').toString('base64url')}.`;
    const expired = gw.staffToken(['admin'], -10);
    const failures: string[] = [];
    const expect4xx = (op: DocumentedOperation, what: string, status: number, code: string | undefined, want: number) => {
      if (status !== want) failures.push(`${op.method} ${op.path} ${what}: ${status} ${code}`);
    };
    for (const op of staffOps) {
      const roles = op.roles as StaffRole[];
      const wrongRoles = ALL_ROLES.filter((r) => r !== 'admin' && !roles.includes(r));
      expect(roles.length).toBeGreaterThan(0);

      let a = await send(op, {});
      expect4xx(op, 'no credentials', a.status, a.body.code, 401);
      a = await send(op, { authorization: `Bearer ${forged}` });
      expect4xx(op, 'forged token', a.status, a.body.code, 401);
      a = await send(op, { authorization: `Bearer ${otherIssuer}` });
      expect4xx(op, 'foreign issuer', a.status, a.body.code, 401);
      a = await send(op, { authorization: `Bearer ${noneAlg}` });
      expect4xx(op, 'unsigned token', a.status, a.body.code, 401);
      a = await send(op, { authorization: `Bearer ${expired}` });
      expect4xx(op, 'expired token', a.status, a.body.code, 401);
      a = await send(op, { authorization: 'Basic dXNlcjpwYXNz' });
      expect4xx(op, 'basic auth', a.status, a.body.code, 401);
      a = await send(op, { 'x-api-key': KEYS.app });
      expect4xx(op, 'channel key', a.status, a.body.code, 403);
      a = await send(op, { authorization: `Bearer ${gw.staffToken(wrongRoles)}` });
      expect4xx(op, `roles ${wrongRoles.join(',')}`, a.status, a.body.code, 403);
      a = await send(op, { authorization: `Bearer ${gw.staffToken([])}` });
      expect4xx(op, 'no roles', a.status, a.body.code, 403);
      for (const role of [...roles, 'admin'] as StaffRole[]) {
        a = await send(op, { authorization: `Bearer ${gw.staffToken([role])}` });
        if (a.status < 200 || a.status >= 300) failures.push(`${op.method} ${op.path} as ${role}: ${a.status} ${a.text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 401 and 403 with coded bodies that say what is needed', async () => {
    const none = await call(`${gw.url}/admin/stock/adjustments`, { method: 'POST', body: {} });
    expect(none.body).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('staff token') });
    const wrongRole = await call(`${gw.url}/admin/stock/adjustments`, { method: 'POST', body: {}, headers: { authorization: `Bearer ${gw.staffToken(['catalog-editor'])}` } });
    expect(wrongRole).toMatchObject({ status: 403, body: { code: 'ROLE_REQUIRED', message: expect.stringContaining('stock-operator') } });
    const key = await call(`${gw.url}/admin/stock/adjustments`, { method: 'POST', body: {}, headers: { 'x-api-key': KEYS.app } });
    expect(key).toMatchObject({ status: 403, body: { code: 'STAFF_TOKEN_REQUIRED' } });
  });

  it('channel routes: 401 without a key or with an unknown one, 403 for a staff token, 2xx with a key', async () => {
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.security === 'channel')) {
      const valid = VALID_REQUESTS[op.operationId];
      for (const [what, headers, want] of [
        ['no key', {}, 401],
        ['unknown key', { 'x-api-key': 'unknown-key-000000000000000' }, 401],
        ['malformed key', { 'x-api-key': 'short' }, 401],
        ['staff token', { authorization: `Bearer ${gw.staffToken(['admin'])}` }, 403],
      ] as const) {
        const a = await send(op, headers);
        if (a.status !== want) failures.push(`${op.method} ${op.path} ${what}: ${a.status} ${a.body.code}`);
      }
      const ok = await send(op, { 'x-api-key': valid.key! });
      if (ok.status < 200 || ok.status >= 300) failures.push(`${op.method} ${op.path} with key: ${ok.status} ${ok.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  it("the payment provider's route: 401 without a signature or with a malformed one, 401 relayed for a forged one, 200 for the provider's", async () => {
    const op = operations.find((o) => o.operationId === 'PaymentCallback_callback')!;
    expect(op.security).toBe('provider');
    expect(await send(op, { 'x-payment-signature': '' })).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await send(op, { 'x-payment-signature': 'not-hex' })).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    // A well-formed signature that does not verify: the order service's 401 reaches the provider as it is.
    expect(await send(op, { 'x-payment-signature': 'b'.repeat(64) })).toMatchObject({ status: 401, body: { code: 'PAYMENT_SIGNATURE_INVALID' } });
    // Neither a channel key nor a staff token stands in for the signature.
    const noSignature = { ...VALID_REQUESTS.PaymentCallback_callback, headers: {} };
    for (const headers of [{ 'x-api-key': KEYS.app }, { authorization: `Bearer ${gw.staffToken(['admin'])}` }] as Array<Record<string, string>>) {
      const answer = await call(`${gw.url}/payments/callback`, { method: 'POST', headers, body: noSignature.body });
      expect(answer.status).toBe(401);
    }
    expect(await send(op, {})).toMatchObject({ status: 200, body: { outcome: 'captured' } });
  });

  it('shelf labels: a store key reads its own store (relayed to catalog), 403 for another store or a key without a store, 401 without a key', async () => {
    const own = await call(`${gw.url}/stores/${STORE}/labels/changes?since=0`, { headers: { 'x-api-key': KEYS.pos } });
    expect(own.status).toBe(200);
    expect(gw.stub.calls.some((c) => c.path === `/internal/stores/${STORE}/labels/changes` && c.query.since === '0')).toBe(true);
    expect(await call(`${gw.url}/stores/${OTHER_STORE}/labels`, { headers: { 'x-api-key': KEYS.pos } })).toMatchObject({ status: 403, body: { code: 'OTHER_STORE' } });
    expect(await call(`${gw.url}/stores/${STORE}/labels`, { headers: { 'x-api-key': KEYS.app } })).toMatchObject({ status: 403, body: { code: 'STORE_KEY_REQUIRED' } });
    expect((await call(`${gw.url}/stores/${STORE}/labels`)).status).toBe(401);
  });

  it('back-office relays: the right role passes through with the body, a wrong role is 403, bad input is 400 naming the field, upstream 4xx come back as they are', async () => {
    const manager = { authorization: `Bearer ${gw.staffToken(['inventory-manager'])}` };
    const body = { mode: 'dedicated', quota: 20 };
    expect((await call(`${gw.url}/admin/inventory/allocations/OOL-1/tmall`, { method: 'PUT', headers: manager, body })).status).toBe(200);
    const relayed = gw.stub.calls.filter((c) => c.method === 'PUT' && c.path === '/internal/allocations/OOL-1/tmall');
    expect(relayed.at(-1)?.body).toEqual(body);
    expect(await call(`${gw.url}/admin/inventory/allocations/OOL-1/tmall`, { method: 'PUT', headers: { authorization: `Bearer ${gw.staffToken(['catalog-manager'])}` }, body })).toMatchObject({ status: 403, body: { code: 'ROLE_REQUIRED' } });
    expect(await call(`${gw.url}/admin/inventory/allocations/OOL-1/tmall`, { method: 'PUT', headers: manager, body: { mode: 'shared', safetyStock: 2, quota: 20 } })).toMatchObject({
      status: 400,
      body: { details: [{ field: 'quota', reason: expect.stringContaining('only allowed with mode dedicated') }] },
    });
    const catalogManager = { authorization: `Bearer ${gw.staffToken(['catalog-manager'])}` };
    expect(await call(`${gw.url}/admin/catalog/categories`, { method: 'POST', headers: catalogManager, body: { name: '' } })).toMatchObject({ status: 400, body: { details: [{ field: 'name' }] } });
  });

  it('lets admins create, list and revoke keys; the secret is shown once and a revoked key stops working', async () => {
    const admin = { authorization: `Bearer ${gw.staffToken(['admin'])}` };
    const created = await call(`${gw.url}/admin/api-keys`, { method: 'POST', headers: admin, body: { name: 'web shop', channel: 'web', rateLimitPerMinute: 1000 } });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^omk_/);
    expect(created.body).toMatchObject({ channel: 'web', keyHint: key.slice(-4), createdBy: 'staff-admin', revokedAt: null });

    const listed = await call(`${gw.url}/admin/api-keys?channel=web`, { headers: admin });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(key);
    expect((listed.body as unknown as Array<{ id: string }>).map((k) => k.id)).toContain(created.body.id);

    expect((await call(`${gw.url}/products`, { headers: { 'x-api-key': key } })).status).toBe(200);
    const revoked = await call(`${gw.url}/admin/api-keys/${created.body.id as string}/revoke`, { method: 'POST', headers: admin });
    expect(revoked).toMatchObject({ status: 200, body: { revokedAt: expect.any(String) } });
    expect((await call(`${gw.url}/products`, { headers: { 'x-api-key': key } })).status).toBe(401);
    expect((await call(`${gw.url}/admin/api-keys/01936d2a-0000-7000-8000-0000000000ff/revoke`, { method: 'POST', headers: admin })).body.code).toBe('API_KEY_NOT_FOUND');
  });
});
