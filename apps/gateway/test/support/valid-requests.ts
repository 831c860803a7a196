import { COUPON_EXAMPLES, RULE_EXAMPLES } from './definition-examples';
import { KEYS, MEMBER_A, ORDER_APP, ORDER_POS, P_TEA, STORE, STORED_QUOTE_ID, VALID_PAYMENT_SIGNATURE, type GatewayUnderTest } from './gateway-harness';

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
const STORE_B = '01936d2a-0000-7000-8000-00000000a002';
const RETURN = '01936d2a-0000-7000-8000-0000000000e5';
const RULE = RULE_EXAMPLES['percent-off'];
const COUPON = COUPON_EXAMPLES.cash;
const CATEGORY = '01936d2a-0000-7000-8000-00000000c001';
const BRAND = '01936d2a-0000-7000-8000-00000000c101';
const TRANSFER = '01936d2a-0000-7000-8000-0000000000f7';

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
  MemberSignIn_requestCode: { key: KEYS.app, body: { phone: '+86 138 0013 8000' } },
  MemberSignIn_verify: { key: KEYS.app, body: { phone: '+86 138 0013 8000', code: '042917' } },
  MemberSignIn_refresh: { key: KEYS.app, body: { refreshToken: `mrt_${'r'.repeat(43)}` } },
  MemberSignIn_logout: { key: KEYS.app, body: { refreshToken: `mrt_${'r'.repeat(43)}` } },
  Me_profile: { key: KEYS.app },
  Me_tier: { key: KEYS.app },
  Me_points: { key: KEYS.app, query: { limit: '10' } },
  Me_coupons: { key: KEYS.app },
  Me_giftCards: { key: KEYS.app },
  Me_orders: { key: KEYS.app, query: { limit: '10' } },
  Me_storeLoginCode: { key: KEYS.app },
  MemberAdmin_profile: { params: { id: MEMBER_A } },
  MemberAdmin_points: { params: { id: MEMBER_A }, query: { limit: '10' } },
  MemberAdmin_coupons: { params: { id: MEMBER_A } },
  MemberAdmin_giftCards: { params: { id: MEMBER_A } },
  MemberAdmin_orders: { params: { id: MEMBER_A }, query: { limit: '10' } },
  StoreMemberLogin_login: { key: KEYS.pos, body: { code: 'filled.by.signMemberRequests' } },
  Product_list: { key: KEYS.app, query: { category: '01936d2a-0000-7000-8000-00000000c000', limit: '10' } },
  Product_get: { key: KEYS.app, params: { id: P_TEA } },
  CategoryAdmin_list: {},
  CategoryAdmin_create: { body: { name: 'Green tea', parentId: CATEGORY }, headers: { 'idempotency-key': 'category-create-0001' } },
  CategoryAdmin_update: { params: { id: CATEGORY }, body: { name: 'Green teas', parentId: null } },
  CategoryAdmin_remove: { params: { id: CATEGORY } },
  BrandAdmin_list: {},
  BrandAdmin_create: { body: { name: 'West Lake' } },
  BrandAdmin_rename: { params: { id: BRAND }, body: { name: 'West Lake Tea' } },
  DisplayProfileAdmin_list: {},
  DisplayProfileAdmin_get: { params: { code: 'online-low' } },
  DisplayProfileAdmin_put: { params: { code: 'online-low' }, body: { stockHint: { kind: 'online', lowStockThreshold: 5 }, badges: ['channel-price'] } },
  StoreAdmin_put: { params: { locationId: LOCATION }, body: { channel: 'pos', name: 'People Square', lowStockThreshold: 3 } },
  StoreAdmin_get: { params: { locationId: LOCATION } },
  StoreAdmin_assortment: { params: { locationId: LOCATION } },
  StoreAdmin_replaceAssortment: { params: { locationId: LOCATION }, body: { skus: ['OOL-1', 'OOL-2'] } },
  StoreAdmin_editAssortment: { params: { locationId: LOCATION }, body: { add: ['OOL-3'], remove: ['OOL-1'] } },
  LocationAdmin_list: { query: { type: 'store', status: 'open' } },
  LocationAdmin_create: { body: { code: 'SH-02', name: 'Xujiahui', type: 'store', lat: 31.19, lng: 121.43, shipsInDays: 1 } },
  LocationAdmin_get: { params: { id: LOCATION } },
  LocationAdmin_update: { params: { id: LOCATION }, body: { status: 'closed' } },
  OwnerAdmin_list: {},
  OwnerAdmin_create: { body: { name: 'Tea Consignor Ltd', type: 'consignor' } },
  OwnerAdmin_get: { params: { id: OWNER } },
  OwnerAdmin_update: { params: { id: OWNER }, body: { name: 'Tea Consignor Co' } },
  AllocationAdmin_list: { params: { sku: 'OOL-1' } },
  AllocationAdmin_put: { params: { sku: 'OOL-1', channel: 'tmall' }, body: { mode: 'dedicated', quota: 20 } },
  ThresholdAdmin_get: { params: { sku: 'OOL-1', locationId: LOCATION } },
  ThresholdAdmin_put: { params: { sku: 'OOL-1', locationId: LOCATION }, body: { threshold: 5 } },
  ThresholdAdmin_remove: { params: { sku: 'OOL-1', locationId: LOCATION } },
  StockDocumentAdmin_levels: { query: { sku: 'OOL-1', locationId: LOCATION } },
  StockDocumentAdmin_stocktake: { body: { lines: [{ sku: 'OOL-1', locationId: LOCATION, ownerId: OWNER, counted: 37 }] }, headers: { 'idempotency-key': 'stocktake-0001' } },
  StockDocumentAdmin_transfer: {
    body: { fromLocationId: LOCATION, toLocationId: STORE_B, inTransit: true, lines: [{ sku: 'OOL-1', ownerId: OWNER, quantity: 5 }] },
    headers: { 'idempotency-key': 'transfer-0001' },
  },
  StockDocumentAdmin_getTransfer: { params: { id: TRANSFER } },
  StockDocumentAdmin_receiveTransfer: { params: { id: TRANSFER } },
  ShelfLabel_export: { key: KEYS.pos, params: { locationId: STORE }, query: { limit: '100' } },
  ShelfLabel_changes: { key: KEYS.pos, params: { locationId: STORE }, query: { since: '0', limit: '100' } },
  PaymentCallback_callback: {
    headers: { 'x-payment-signature': VALID_PAYMENT_SIGNATURE },
    body: { orderId: ORDER_APP, paymentRef: 'pay-0001', amount: { amount: 9900, currency: 'CNY' }, paidAt: '2026-01-01T10:00:00.000Z' },
  },
};

/** Operations that need a member: their valid request carries a member token of the app channel. */
const MEMBER_OPERATIONS = ['Me_profile', 'Me_tier', 'Me_points', 'Me_coupons', 'Me_giftCards', 'Me_orders', 'Me_storeLoginCode'];

/** Fills in what only a running gateway can sign: member tokens and a store login code (call in beforeAll). */
export function signMemberRequests(gw: Pick<GatewayUnderTest, 'memberToken' | 'storeLoginCode'>): void {
  for (const id of MEMBER_OPERATIONS) VALID_REQUESTS[id].headers = { authorization: `Bearer ${gw.memberToken(MEMBER_A, 'app', 3600)}` };
  VALID_REQUESTS.StoreMemberLogin_login.body = { code: gw.storeLoginCode(MEMBER_A, 300) };
}

/** One documented operation. */
export interface DocumentedOperation {
  operationId: string;
  method: string;
  /** Path template with `{param}` placeholders. */
  path: string;
  /** Roles of a staff route (x-required-roles); undefined for channel routes. */
  roles?: string[];
  /** How the route is called: a channel key, a staff token, or the payment provider's signature. */
  security: 'channel' | 'staff' | 'provider';
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
        security: schemes.includes('staff-token') ? 'staff' : schemes.includes('payment-signature') ? 'provider' : 'channel',
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
