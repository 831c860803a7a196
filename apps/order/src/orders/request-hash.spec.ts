import { canonicalJson, requestHash } from './request-hash';

describe('request hash', () => {
  it('ignores key order and undefined fields, not values or array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
    expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ l: [1, 2] })).not.toBe(requestHash({ l: [2, 1] }));
  });
});
