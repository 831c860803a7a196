import { COUPON_EXAMPLES, RULE_EXAMPLES } from './definition-examples';
import { KEYS, ORDER_APP, ORDER_POS, P_TEA, STORED_QUOTE_ID } from './gateway-harness';

/** A request that the gateway accepts for one operation of the OpenAPI document. */
export interface ValidRequest {
  /** Values of the path's `{param}` placeholders. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Channel key to call with (channel routes); staff routes use a token with the route's role. */
  key?: string;
  /** More valid bodies of other shapes (the other kinds of a `oneOf` body), broken field by field too. */
  bodyVariants?: Array<Record<string, unknown>>;
}

const PRODUCT = '01936d2a-0000-7000-8000-0000000000f1';
const LOCATION = '01936d2a-0000-7000-8000-00000000a001';
const OWNER = '01936d2a-0000-7000-8000-00000000b001';
const RETURN = '01936d2a-0000-7000-8000-0000000000e5';
const RULE = RULE_EXAMPLES['percent-off'];
const COUPON = COUPON_EXAMPLES.cash;

/**
 * One valid request per operationId. The suites check that every documented operation has an
 * entry, so a new route cannot ship without its auth and malformed-request coverage.
 */
export const VALID_REQUESTS: Record<string, ValidRequest> = {
  ApiKey_list: { query: { channel: 'app' } },
  ApiKey_create: { body: { name: 'web shop', channel: 'web' } },
  ApiKey_revoke: { params: { id: '01936d2a-0000-7000-8000-0000000000aa' } },
  CatalogAdmin_create: { body: { title: 'Oolong', tags: ['oolong'], skus: [{ sku: 'OOL-1', attributes: { size: '100g' } }] }, headers: { 'idempotency-key': 'create-oolong-1' } },
  CatalogAdmin_update: { params: { id: PRODUCT }, body: { title: 'Oolong 2', description: null } },
  CatalogAdmin_remove: { params: { id: PRODUCT } },
  CatalogAdmin_addSku: { params: { id: PRODUCT }, body: { sku: 'OOL-2', attributes: { size: '200g' } } },
  CatalogAdmin_updateSku: { params: { id: PRODUCT, sku: 'OOL-2' }, body: { attributes: { size: '250g' } } },
  CatalogAdmin_putListing: { params: { id: PRODUCT, channel: 'app' }, body: { visible: true, title: 'Oolong (app)', displayProfile: 'online' } },
  CatalogAdmin_deleteListing: { params: { id: PRODUCT, channel: 'app' } },
  PricingAdmin_putBase: { params: { sku: 'OOL-1' }, body: { amount: 5900 } },
  PricingAdmin_putChannel: { params: { channel: 'app', sku: 'OOL-1' }, body: { amount: 4900, effectiveFrom: '2026-01-01T00:00:00.000Z' } },
  PricingAdmin_deleteChannel: { params: { channel: 'app', sku: 'OOL-1' } },
  StockAdmin_adjust: { body: { lines: [{ sku: 'OOL-1', locationId: LOCATION, ownerId: OWNER, delta: -2, reasonCode: 'damaged' }], note: 'crushed box' } },
  PriceRuleAdmin_list: {},
  PriceRuleAdmin_get: { params: { id: RULE.id as string } },
  PriceRuleAdmin_versions: { params: { id: RULE.id as string } },
  PriceRuleAdmin_create: { body: RULE, headers: { 'idempotency-key': 'rule-create-0001' }, bodyVariants: Object.values(RULE_EXAMPLES).filter((r) => r !== RULE) },
  PriceRuleAdmin_update: { params: { id: RULE.id as string }, body: { ...RULE, percentOffBps: 1500 }, headers: { 'idempotency-key': 'rule-update-0001' } },
  PriceRuleAdmin_enable: { params: { id: RULE.id as string } },
  PriceRuleAdmin_disable: { params: { id: RULE.id as string } },
  CouponTemplateAdmin_list: {},
  CouponTemplateAdmin_get: { params: { id: COUPON.id as string } },
  CouponTemplateAdmin_versions: { params: { id: COUPON.id as string } },
  CouponTemplateAdmin_create: { body: COUPON, bodyVariants: Object.values(COUPON_EXAMPLES).filter((c) => c !== COUPON) },
  CouponTemplateAdmin_update: { params: { id: COUPON.id as string }, body: { ...COUPON, amount: 1500 } },
  CouponTemplateAdmin_enable: { params: { id: COUPON.id as string } },
  CouponTemplateAdmin_disable: { params: { id: COUPON.id as string } },
  FulfilmentAdmin_picking: { params: { id: ORDER_APP } },
  FulfilmentAdmin_readyForPickup: { params: { id: ORDER_APP } },
  FulfilmentAdmin_ship: { params: { id: ORDER_APP }, body: { carrier: 'SF Express', trackingNumber: 'SF1234567890' } },
  FulfilmentAdmin_delivered: { params: { id: ORDER_APP } },
  O2oAdmin_mappings: { params: { platform: 'eleme' } },
  O2oAdmin_putSkus: { params: { platform: 'eleme' }, body: { mappings: [{ sku: 'TEA-250', platformSku: 'E-TEA-250' }] } },
  O2oAdmin_putStores: { params: { platform: 'eleme' }, body: { mappings: [{ locationId: LOCATION, platformStore: 'ST-1' }] } },
  O2oAdmin_deleteSku: { params: { platform: 'eleme', id: 'TEA-250' } },
  O2oAdmin_deleteStore: { params: { platform: 'eleme', id: LOCATION } },
  O2oAdmin_resync: { params: { platform: 'eleme' } },
  O2oAdmin_health: { params: { platform: 'eleme' } },
  O2oAdmin_reconcile: { params: { platform: 'eleme' }, body: { day: '2026-03-01' } },
  O2oAdmin_statements: { params: { platform: 'eleme' }, query: { limit: '10' } },
  O2oAdmin_statement: { params: { id: '01936d2a-0000-7000-8000-0000000000d1' } },
  ReturnAdmin_dispose: { params: { id: ORDER_APP, returnId: RETURN }, body: { disposition: 'restocked' } },
  StockAdmin_receive: { body: { lines: [{ sku: 'OOL-1', locationId: LOCATION, ownerId: OWNER, quantity: 40 }] } },
  Cart_quote: { key: KEYS.app, body: { lines: [{ sku: 'TEA-250', quantity: 2 }], couponCodes: ['WELCOME10'] } },
  Order_place: {
    key: KEYS.app,
    headers: { 'idempotency-key': 'order-attempt-0001' },
    body: { buyer: { anonymous: true }, lines: [{ sku: 'TEA-250', quantity: 1 }], fulfilment: { type: 'ship', address: { line1: '1 Lake Rd', city: 'Hangzhou', country: 'CN' } }, quoteId: STORED_QUOTE_ID },
  },
  Order_get: { key: KEYS.app, params: { id: ORDER_APP } },
  Order_cancel: { key: KEYS.app, params: { id: ORDER_APP } },
  Order_confirmPickup: { key: KEYS.pos, params: { id: ORDER_POS }, body: { code: '483920' } },
  Order_receiveReturn: { key: KEYS.pos, params: { id: ORDER_APP }, body: { lineNo: 0, quantity: 1 }, headers: { 'idempotency-key': 'return-slip-0001' } },
  Product_list: { key: KEYS.app, query: { category: '01936d2a-0000-7000-8000-00000000c000', limit: '10' } },
  Product_get: { key: KEYS.app, params: { id: P_TEA } },
};

/** One documented operation. */
export interface DocumentedOperation {
  operationId: string;
  method: string;
  /** Path template with `{param}` placeholders. */
  path: string;
  /** Roles of a staff route (x-required-roles); undefined for channel routes. */
  roles?: string[];
  security: 'channel' | 'staff';
  parameters: Array<{ name: string; in: string; required?: boolean; schema?: { type?: string; format?: string; pattern?: string } }>;
  /** The request body schema ($ref resolved one level), if any. */
  bodySchema?: JsonSchema;
}

/** The subset of JSON schema the sweep reads. */
export interface JsonSchema {
  type?: string;
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  nullable?: boolean;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { operationId: string; security?: Array<Record<string, unknown>>; parameters?: DocumentedOperation['parameters']; requestBody?: { content: Record<string, { schema: JsonSchema }> }; 'x-required-roles'?: string[] }>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Resolves a `$ref` (or an allOf of one) against the document's components. */
export function resolveSchema(doc: { components: { schemas: Record<string, JsonSchema> } }, schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
  if (schema.allOf && schema.allOf.length === 1) return resolveSchema(doc, schema.allOf[0]);
  return schema;
}

/** The schema a body is checked against: for a `oneOf` with a discriminator, the variant the body names. */
export function schemaOfBody(doc: { components: { schemas: Record<string, JsonSchema> } }, schema: JsonSchema | undefined, body: Record<string, unknown> | undefined): JsonSchema | undefined {
  if (!schema?.oneOf || !schema.discriminator) return schema;
  const value = body?.[schema.discriminator.propertyName];
  const ref = typeof value === 'string' ? schema.discriminator.mapping?.[value] : undefined;
  if (!ref) throw new Error(`no ${schema.discriminator.propertyName} variant for ${JSON.stringify(value)}`);
  return resolveSchema(doc, { $ref: ref });
}

/** Every operation of the gateway's OpenAPI document. */
export function documentedOperations(doc: unknown): DocumentedOperation[] {
  const openApi = doc as OpenApiDoc;
  const operations: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(openApi.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        roles: op['x-required-roles'],
        security: schemes.includes('staff-token') ? 'staff' : 'channel',
        parameters: op.parameters ?? [],
        bodySchema: resolveSchema(openApi, op.requestBody?.content['application/json']?.schema),
      });
    }
  }
  return operations;
}

/** The URL path of an operation with its parameters filled in (encoded). */
export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_all, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${template}`);
    return encodeURIComponent(value);
  });
}

/** `?a=1&b=2` for a query object ('' when empty). */
export function queryString(query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return search.length > 0 ? `?${search}` : '';
}
