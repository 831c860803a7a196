import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { call, startGateway, type Answer, type GatewayUnderTest } from './support/gateway-harness';
import { MAX_BODY_DEPTH } from '@omni/platform';
import { documentedOperations, fillPath, queryString, resolveSchema, schemaOfBody, VALID_REQUESTS, signMemberRequests, type DocumentedOperation, type JsonSchema } from './support/valid-requests';

jest.setTimeout(180_000);

/** A value of the wrong JSON type for a schema. */
function wrongTypeFor(schema: JsonSchema | undefined): unknown {
  switch (schema?.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return '12';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    default:
      return 'not an object';
  }
}

/** A malformed variant of a valid request, named for the failure report. */
interface Mutation {
  what: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
}

const BAD_PATH_VALUES = ['not a valid id!', '\u0000', 'x'.repeat(300), '../../etc/passwd'];

/** Every malformed variant of one operation, derived from its documented parameters and body schema. */
function mutations(doc: { components: { schemas: Record<string, JsonSchema> } }, op: DocumentedOperation): Mutation[] {
  const valid = VALID_REQUESTS[op.operationId];
  const path = fillPath(op.path, valid.params);
  const query = queryString(valid.query);
  const out: Mutation[] = [];
  for (const param of op.parameters.filter((p) => p.in === 'path')) {
    for (const bad of BAD_PATH_VALUES) {
      out.push({ what: `path ${param.name}=${JSON.stringify(bad.slice(0, 20))}`, path: `${fillPath(op.path, { ...valid.params, [param.name]: bad })}${query}`, body: valid.body });
    }
  }
  if (op.security === 'channel') out.push({ what: 'channel chosen by the caller', path: `${path}${queryString({ ...valid.query, channel: 'tmall' })}`, body: valid.body });
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  if (queryParams.length > 0) {
    out.push({ what: 'unknown query field', path: `${path}${queryString({ ...valid.query, zzz: '1' })}`, body: valid.body });
    for (const param of queryParams) {
      const rule = param.schema ?? {};
      // Free-text parameters (search words, tags) accept any text; the others have a shape to break.
      if (rule.format || rule.pattern || rule.type === 'integer' || rule.type === 'number') {
        out.push({ what: `query ${param.name} malformed`, path: `${path}${queryString({ ...valid.query, [param.name]: '!!not valid!!' })}`, body: valid.body });
      }
      out.push({ what: `query ${param.name} repeated`, path: `${path}${query}${query ? '&' : '?'}${param.name}=a&${param.name}=b`, body: valid.body });
    }
  }
  if (op.bodySchema) {
    const at = `${path}${query}`;
    for (const body of [[], 'text', 42, true, null]) out.push({ what: `body ${JSON.stringify(body)}`, path: at, rawBody: JSON.stringify(body) });
    out.push({ what: 'malformed JSON', path: at, rawBody: '{"lines": [' });
    out.push({ what: 'text/plain body', path: at, rawBody: 'lines=1', headers: { 'content-type': 'text/plain' } });
    out.push({ what: 'prototype key', path: at, rawBody: JSON.stringify({ ...valid.body }).replace(/^\{/, '{"__proto__":{"admin":true},"constructor":{"x":1},') });
    out.push({ what: 'huge body', path: at, body: { ...valid.body, padding: 'x'.repeat(2_000_000) } });
    out.push({ what: 'deeply nested body', path: at, rawBody: JSON.stringify({ ...valid.body }).replace(/^\{/, `{"deep":${'['.repeat(MAX_BODY_DEPTH * 50)}${']'.repeat(MAX_BODY_DEPTH * 50)},`) });
    // Each valid body (a oneOf body has one per kind) is broken field by field against its own schema.
    for (const [index, validBody] of [valid.body, ...(valid.bodyVariants ?? [])].entries()) {
      const schema = schemaOfBody(doc, op.bodySchema, validBody);
      const label = index === 0 ? '' : `variant ${index}: `;
      out.push({ what: `${label}unknown field`, path: at, body: { ...validBody, zzz: 1 } });
      for (const field of schema?.required ?? []) {
        const body = { ...validBody };
        delete body[field];
        out.push({ what: `${label}missing ${field}`, path: at, body });
      }
      for (const [field, property] of Object.entries(schema?.properties ?? {})) {
        const resolved = resolveSchema(doc, property);
        out.push({ what: `${label}wrong type ${field}`, path: at, body: { ...validBody, [field]: wrongTypeFor(resolved) } });
        const items = resolved?.type === 'array' ? resolveSchema(doc, resolved.items) : undefined;
        if (items?.type === 'object' || items?.properties) {
          out.push({ what: `${label}${field} with a non-object item`, path: at, body: { ...validBody, [field]: ['x'] } });
          out.push({ what: `${label}${field} nested array`, path: at, body: { ...validBody, [field]: [[1]] } });
        }
        if (resolved?.type === 'string' && !resolved.nullable) out.push({ what: `${label}${field} huge`, path: at, body: { ...validBody, [field]: 'x'.repeat(30_000) } });
      }
    }
  }
  if (op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')) {
    out.push({ what: 'malformed Idempotency-Key', path: `${path}${query}`, body: valid.body, headers: { 'idempotency-key': 'bad key!' } });
  }
  return out;
}

function isCleanClientError(answer: Answer): boolean {
  return (
    answer.status >= 400 &&
    answer.status < 500 &&
    typeof answer.body.code === 'string' &&
    /^[A-Z0-9_]+$/.test(answer.body.code) &&
    typeof answer.body.message === 'string' &&
    answer.body.message.length > 0 &&
    !/\bat \S+ \(/.test(answer.text)
  );
}

describe('malformed-request sweep over every documented route (real Postgres, Redis, Kafka; stub upstreams)', () => {
  let gw: GatewayUnderTest;
  let doc: { components: { schemas: Record<string, JsonSchema> } };
  let operations: DocumentedOperation[];

  beforeAll(async () => {
    gw = await startGateway('gw_sweep');
    signMemberRequests(gw);
    const docs = await call(`${gw.url}/docs-json`);
    doc = docs.body as unknown as typeof doc;
    operations = documentedOperations(doc);
  });

  afterAll(async () => {
    await gw?.close();
  });

  function credentials(op: DocumentedOperation): Record<string, string> {
    if (op.security === 'provider') return {};
    return op.security === 'staff' ? { authorization: `Bearer ${gw.staffToken(['admin'])}` } : { 'x-api-key': VALID_REQUESTS[op.operationId].key! };
  }

  it('answers every malformed variant of every route with a coded 4xx, never a 5xx, and leaves upstreams alone', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const op of operations) {
      const valid = VALID_REQUESTS[op.operationId];
      expect(valid).toBeDefined();
      for (const m of mutations(doc, op)) {
        const before = gw.stub.calls.length;
        const answer = await call(`${gw.url}${m.path}`, {
          method: op.method,
          headers: { ...(valid.headers ?? {}), ...credentials(op), ...(m.headers ?? {}) },
          body: m.rawBody === undefined ? m.body : undefined,
          rawBody: m.rawBody,
        });
        sent++;
        if (!isCleanClientError(answer)) failures.push(`${op.method} ${op.path} [${m.what}]: ${answer.status} ${answer.text.slice(0, 160)}`);
        // Bad input is refused at the edge: the upstream never sees it.
        const relayed = gw.stub.calls.slice(before).filter((c) => c.path !== '/internal/products/export');
        if (answer.status === 400 && relayed.length > 0) failures.push(`${op.method} ${op.path} [${m.what}]: refused but still called ${relayed[0].method} ${relayed[0].path}`);
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(300);
  });

  it('refuses non-JSON bodies with 415 and prototype keys with 400, naming the key', async () => {
    const headers = { 'x-api-key': VALID_REQUESTS.Cart_quote.key! };
    const text = await call(`${gw.url}/cart/quote`, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, rawBody: '{"lines":[]}' });
    expect(text).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const proto = await call(`${gw.url}/cart/quote`, { method: 'POST', headers, rawBody: '{"lines":[{"sku":"TEA-250","quantity":1,"__proto__":{"admin":true}}]}' });
    expect(proto).toMatchObject({ status: 400, body: { code: 'PROTOTYPE_KEY', details: [{ field: 'lines.0.__proto__' }] } });
  });

  it('names the field and the rule in validation errors', async () => {
    const answer = await call(`${gw.url}/cart/quote`, {
      method: 'POST',
      headers: { 'x-api-key': VALID_REQUESTS.Cart_quote.key! },
      body: { lines: [{ sku: 'TEA-250', quantity: 0 }, { sku: 'bad sku!', quantity: 1 }], channel: 'tmall' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('VALIDATION_FAILED');
    expect(answer.body.details).toEqual(
      expect.arrayContaining([
        { field: 'channel', reason: 'property channel should not exist' },
        { field: 'lines.0.quantity', reason: 'quantity must be an integer between 1 and 999' },
        { field: 'lines.1.sku', reason: expect.stringContaining('must be a SKU code') },
      ]),
    );
  });

  it('serves Swagger UI at /docs and the committed document at /docs-json', async () => {
    const committed = JSON.parse(readFileSync(resolve(__dirname, '../../../docs/openapi/gateway.json'), 'utf8')) as unknown;
    expect((await call(`${gw.url}/docs-json`)).body).toEqual(committed);
    const page = await call(`${gw.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('/docs-json');
    const bundle = await call(`${gw.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await call(`${gw.url}/docs/package.json`)).status).toBe(404);
    expect((await call(`${gw.url}/docs/..%2F..%2Fpackage.json`)).status).toBe(404);
  });
});
