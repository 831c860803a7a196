import fc from 'fast-check';
import { DomainError } from '@omni/platform';
import { canonicalJson, idempotencyKeyOf, requestHash } from './operation-log.store';

describe('canonicalJson / requestHash', () => {
  it('ignores key order and undefined fields, but not values or array order', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }], u: undefined })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(requestHash('receipt', { a: 1, b: 2 })).toBe(requestHash('receipt', { b: 2, a: 1 }));
    expect(requestHash('receipt', { a: [1, 2] })).not.toBe(requestHash('receipt', { a: [2, 1] }));
    expect(requestHash('receipt', { a: 1 })).not.toBe(requestHash('adjustment', { a: 1 }));
  });

  it('round-trips to the same value as JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('idempotencyKeyOf', () => {
  it('prefers the header, falls back to the document id, and requires one of them', () => {
    expect(idempotencyKeyOf(' k-1 ', 'doc')).toBe('key:k-1');
    expect(idempotencyKeyOf(undefined, 'doc')).toBe('doc:doc');
    expect(idempotencyKeyOf('  ', 'doc')).toBe('doc:doc');
    expect(() => idempotencyKeyOf(undefined, undefined)).toThrow(DomainError);
    expect(() => idempotencyKeyOf('x'.repeat(201), undefined)).toThrow(/too long/);
  });
});
