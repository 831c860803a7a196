// The one Idempotency-Key rule, checked where it is applied: the gateway's edges (a caller's key on
// an order and on a back-office write) and the HTTP edge of every service behind it (order,
// catalog, pricing, inventory), each driven through its real controller with its use case stubbed.
import fc from 'fast-check';
import { DomainError, scopedIdempotencyKey } from '@omni/platform';
import { ProductController } from '../../apps/catalog/src/products/product.controller';
import { CatalogAdminController } from '../../apps/gateway/src/admin/catalog-admin.controller';
import { OrderController as GatewayOrderController } from '../../apps/gateway/src/orders/order.controller';
import { StockOperationController } from '../../apps/inventory/src/movements/stock-operation.controller';
import { OrderController } from '../../apps/order/src/orders/order.controller';
import { QuoteController } from '../../apps/pricing/src/quotes/quote.controller';

/** What an edge answered: accepted (the use case ran), or the error body and status it refused with. */
type Verdict = 'accepted' | { status: number; code: string; details: unknown };

const res = { status: () => undefined, setHeader: () => undefined } as never;
const stub = <T>(value: T) => async () => value;

/** Every edge taking an Idempotency-Key, by name; `required` edges refuse a missing key. */
const EDGES: Record<string, { required: boolean; call: (key: string | undefined) => Promise<unknown> }> = {
  'gateway POST /orders': {
    required: true,
    call: (key) => new GatewayOrderController({ place: stub({ status: 201, body: {} }) } as never).place({ channel: 'app' } as never, undefined, key, { buyer: { anonymous: true } } as never, res),
  },
  'gateway POST /admin/products': {
    required: false,
    call: (key) => new CatalogAdminController({ catalog: { call: stub({ body: {} }) } } as never).create({} as never, key),
  },
  'order POST /orders': {
    required: true,
    call: (key) => new OrderController({ create: stub({ httpStatus: 201, order: {} }) } as never, null as never, null as never, null as never).create({} as never, key, res),
  },
  'catalog POST /internal/products': { required: false, call: (key) => new ProductController({ create: stub({}) } as never, null as never).create({} as never, key) },
  'pricing POST /internal/quotes': { required: false, call: (key) => new QuoteController({ create: stub({}) } as never).create({} as never, key) },
  'inventory POST /internal/stock/receipts': {
    required: false,
    call: (key) =>
      new StockOperationController({ receive: stub({ result: {}, replayed: false }) } as never, null as never, null as never, null as never).receipts({} as never, key, res),
  },
};
const SERVICES_BEHIND = Object.keys(EDGES).filter((name) => !name.startsWith('gateway'));

async function verdict(edge: string, key: string | undefined): Promise<Verdict> {
  try {
    await EDGES[edge].call(key);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { status: error.httpStatus, code: error.code, details: error.details };
  }
}

/** Keys around the rule's edges: lengths 0-140 over the allowed characters and a few that are not. */
const keys = fc.string({ unit: fc.constantFrom(...'aZ09._:-#/ éx'.split('')), minLength: 0, maxLength: 140 });

describe('Idempotency-Key: one rule at the gateway and every service behind it', () => {
  it('accepts or refuses every present key the same way everywhere, refusing with 400 naming the header and the reason (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(keys, fc.uuid(), fc.constantFrom('k'.repeat(7), 'k'.repeat(8), 'k'.repeat(128), 'k'.repeat(129), 'bad key!')), async (key) => {
        const verdicts = await Promise.all(Object.keys(EDGES).map((edge) => verdict(edge, key)));
        for (const v of verdicts) expect(v).toEqual(verdicts[0]);
        if (verdicts[0] !== 'accepted') {
          expect(verdicts[0]).toEqual({ status: 400, code: 'VALIDATION_FAILED', details: [{ field: 'Idempotency-Key', reason: expect.stringMatching(/8-128/) }] });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts, behind the gateway, every key the gateway sends for a key it accepted, scoped to any channel or store (property)', async () => {
    const accepted = fc.string({ unit: fc.constantFrom(...'AZaz09._:-'.split('')), minLength: 8, maxLength: 128 });
    const scope = fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,32}$/), fc.uuid());
    await fc.assert(
      fc.asyncProperty(accepted, scope, async (key, channel) => {
        expect(await verdict('gateway POST /orders', key)).toBe('accepted');
        for (const edge of SERVICES_BEHIND) expect(await verdict(edge, scopedIdempotencyKey(channel, key))).toBe('accepted');
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a missing key the same way wherever one is required, and lets it through where it is optional', async () => {
    const missing = await Promise.all(Object.keys(EDGES).map(async (edge) => [edge, await verdict(edge, undefined)] as const));
    for (const [edge, v] of missing) {
      if (EDGES[edge].required) expect(v).toEqual({ status: 400, code: 'VALIDATION_FAILED', details: [{ field: 'Idempotency-Key', reason: expect.stringMatching(/required/) }] });
      else expect(v).toBe('accepted');
    }
  });
});
