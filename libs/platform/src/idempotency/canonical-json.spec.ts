import fc from 'fast-check';
import { canonicalJson, requestHash } from './canonical-json';

/** A JSON value with its object keys shuffled at every level (same value, other key order). */
function shuffled(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffled(v, seed + i));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const order = entries.map((e, i) => ({ e, k: Math.sin(seed * 97 + i) })).sort((a, b) => a.k - b.k);
    return Object.fromEntries(order.map(({ e: [k, v] }, i) => [k, shuffled(v, seed + i + 1)]));
  }
  return value;
}

describe('canonicalJson / requestHash', () => {
  it('ignores key order and undefined members, but not values or array order', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }], u: undefined })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }], c: undefined })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
    expect(requestHash({ l: [1, 2] })).not.toBe(requestHash({ l: [2, 1] }));
    expect(requestHash({ a: 1 }, 'receipt')).not.toBe(requestHash({ a: 1 }, 'adjustment'));
    expect(requestHash({ a: 1 }, 'receipt')).not.toBe(requestHash({ a: 1 }));
  });

  it('writes null for a value JSON has no text for, so every body has a hash', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined, () => 1])).toBe('[null,null]');
    expect(requestHash(undefined)).toBe(requestHash(null));
  });

  it('round-trips to the same value as JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('hashes a body the same whatever its key order, and two different bodies differently (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), fc.string(), (value, seed, scope) => {
        expect(requestHash(shuffled(value, seed), scope)).toBe(requestHash(value, scope));
        expect(canonicalJson(shuffled(value, seed))).toBe(canonicalJson(value));
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(JSON.stringify(JSON.parse(canonicalJson(a))) !== JSON.stringify(JSON.parse(canonicalJson(b))));
        expect(requestHash(a)).not.toBe(requestHash(b));
      }),
    );
  });
});
