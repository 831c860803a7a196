import { findBodyShapeProblem, findPrototypeKey, MAX_BODY_DEPTH } from './body-shape.guard';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

describe('findPrototypeKey', () => {
  it('finds prototype keys at any depth and names their path', () => {
    expect(findPrototypeKey(JSON.parse('{"a":1,"__proto__":{"x":1}}'))).toBe('__proto__');
    expect(findPrototypeKey({ lines: [{ sku: 'A' }, { constructor: { prototype: 1 } }] })).toBe('lines.1.constructor');
    expect(findPrototypeKey({ lines: [{ sku: 'A', quantity: 1 }], note: 'constructor' })).toBeUndefined();
    expect(findPrototypeKey(undefined)).toBeUndefined();
    expect(findPrototypeKey('__proto__')).toBeUndefined();
  });
});

describe('findBodyShapeProblem', () => {
  it('accepts bodies up to the depth limit and refuses deeper ones, naming where', () => {
    expect(findBodyShapeProblem(nested(MAX_BODY_DEPTH))).toBeUndefined();
    expect(findBodyShapeProblem({ lines: [{ sku: 'A', quantity: 1 }] })).toBeUndefined();
    expect(findBodyShapeProblem(nested(MAX_BODY_DEPTH + 1))).toMatchObject({ problem: 'too-deep' });
    expect(findBodyShapeProblem({ conditions: nested(MAX_BODY_DEPTH) })).toEqual({ problem: 'too-deep', path: expect.stringMatching(/^conditions\.0\.a\.0\.a/) });
  });

  it('checks bodies far deeper than the stack allows without overflowing', () => {
    expect(findBodyShapeProblem(nested(200_000))).toMatchObject({ problem: 'too-deep' });
  });

  it('reports a prototype key found before the depth limit', () => {
    expect(findBodyShapeProblem({ a: { constructor: 1 } })).toEqual({ problem: 'prototype-key', path: 'a.constructor' });
  });
});

describe('NUL characters', () => {
  it('are found in any string or key, naming where; other control characters pass', () => {
    expect(findBodyShapeProblem({ name: 'a\u0000b' })).toEqual({ problem: 'nul-character', path: 'name' });
    expect(findBodyShapeProblem({ lines: [{ note: 'ok' }, { note: '\u0000' }] })).toEqual({ problem: 'nul-character', path: 'lines.1.note' });
    expect(findBodyShapeProblem({ ['k\u0000']: 1 })).toMatchObject({ problem: 'nul-character' });
    expect(findBodyShapeProblem('\u0000')).toEqual({ problem: 'nul-character', path: '(body)' });
    expect(findBodyShapeProblem({ name: 'tab\tnew\nline\u0001' })).toBeUndefined();
  });
});
