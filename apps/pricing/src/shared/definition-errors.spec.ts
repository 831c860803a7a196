import { validatePriceRule } from '../domain';
import { definitionErrors } from './definition-errors';
import { canonicalJson, idempotencyKeyOf } from './idempotency.store';

describe('definitionErrors', () => {
  it('names each bad field relative to the body, from the domain validator', () => {
    const result = validatePriceRule(
      { id: 'r', name: 'r', kind: 'spend-threshold', priority: 0, group: 'g', currency: 'CNY', version: 1, thresholds: [{ minSubtotal: 100, discount: 10 }, { minSubtotal: 200, discount: -1 }] },
      'body',
    );
    expect(result.ok).toBe(false);
    const error = definitionErrors(result.ok ? [] : result.errors);
    expect(error.httpStatus).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([{ field: 'thresholds[1].discount', reason: expect.stringMatching(/positive integer/) }]);
  });

  it('reports a body-level problem as "(body)"', () => {
    const result = validatePriceRule([1], 'body');
    expect(definitionErrors(result.ok ? [] : result.errors).details).toEqual([{ field: '(body)', reason: 'must be an object' }]);
  });
});

describe('idempotency helpers', () => {
  it('hashes the same request the same whatever its key order, and ignores undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }], c: undefined })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });

  it('trims the header, treats blank as absent and refuses an overlong key', () => {
    expect(idempotencyKeyOf('  k-1 ')).toBe('k-1');
    expect(idempotencyKeyOf('   ')).toBeUndefined();
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(() => idempotencyKeyOf('x'.repeat(201))).toThrow('Idempotency-Key is too long');
  });
});
