import fc from 'fast-check';
import { ALL_TOPIC_CONTRACTS, EVENT_CONTRACTS } from '../event-contracts.registry';
import { samplePayloadFor } from '../testing/samples';
import { EventContract } from './event-contract';
import { payloadFastPath } from './payload-fast-path';
import { validatePayload, validatePayloadStrict } from './payload-validator';

/** A deep copy that keeps what JSON.parse can make (own __proto__ keys) and what it cannot (undefined, NaN, a Date). */
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value !== 'object' || value === null) return value;
  const copy = {};
  for (const [key, item] of Object.entries(value)) setOwn(copy, key, clone(item));
  return copy;
}

/** Sets an own enumerable property, even one named __proto__ (as JSON.parse does). */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Every place in a payload a mutation can touch: the path of each object and array, root included. */
function containers(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null || value instanceof Date) return [];
  const children = Object.entries(value).flatMap(([key, item]) => containers(item, [...path, Array.isArray(value) ? Number(key) : key]));
  return [path, ...children];
}

function at(root: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

const uuid = '0190f5a8-3c1e-7d2a-9b4f-2e6c8a1d3f5b';
/** Values near every rule's edges: types, bounds, patterns, instants, UUIDs, URLs, enum choices, reserved keys' neighbours. */
const EDGE_VALUES: unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  -0,
  1,
  -1,
  2,
  1.5,
  -2.5,
  10_000,
  10_001,
  2 ** 53,
  1e308,
  -1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'tea oolong',
  'TEA-OOLONG-250',
  'x'.repeat(16),
  'x'.repeat(17),
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(500),
  'x'.repeat(501),
  '😀'.repeat(32),
  '😀'.repeat(33),
  '😀'.repeat(251),
  'a\uFE0F'.repeat(251),
  '\uD800',
  uuid,
  uuid.toUpperCase(),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0190f5a8-3c1e-0d2a-9b4f-2e6c8a1d3f5b',
  '0190f5a8-3c1e-9d2a-9b4f-2e6c8a1d3f5b',
  '0190f5a8-3c1e-7d2a-cb4f-2e6c8a1d3f5b',
  `urn:uuid:${uuid}`,
  uuid.replace(/-/g, ''),
  'any',
  '2024-05-01T12:00:00.000Z',
  '2024-05-01T12:00:00Z',
  '2024-05-01T12:00:00.123456789Z',
  '2024-05-01T12:00:00.1234567891Z',
  '2016-12-31T23:59:60Z',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2024-02-30T00:00:00Z',
  '2024-05-01T24:00:00Z',
  '0000-01-01T00:00:00Z',
  '2024-05-01T12:00:00+08:00',
  '2024-05-01',
  'https://cdn.example.com/p/a.jpg',
  'http://localhost/a.jpg',
  'ftp://cdn.example.com/a.jpg',
  'https://',
  'javascript:alert(1)',
  `https://cdn.example.com/${'a'.repeat(2040)}`,
  'app',
  'Tmall',
  'a'.repeat(33),
  'CNY',
  'cny',
  'INSUFFICIENT_STOCK',
  'tcc-branch-replied',
  ...['try', 'confirm', 'cancel', 'success', 'failure', 'retry', 'upserted', 'deleted', 'ship', 'pickup', 'delivery'],
  ...['image', 'video', 'online', 'store', 'remote', 'retailer', 'consignor', 'earn', 'spend', 'upgrade', 'restocked'],
  {},
  { a: 'b' },
  { toString: 'x', valueOf: { deep: 1 } },
  { amount: 1, currency: 'CNY' },
  { type: 'ship' },
  { memberId: uuid, anonymous: false },
  { anonymous: true },
  [],
  [1],
  ['a'],
  [[]],
  [{}],
  [null],
  new Date(0),
];

/** Keys an unknown field may have: plain, empty, long, and the names class-transformer or validatePayload treat specially. */
const EXTRA_KEYS = ['surprise', '', 'k'.repeat(65), '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'then'];

type Mutation =
  | { kind: 'drop'; target: number; pick: number }
  | { kind: 'set'; target: number; pick: number; value: unknown }
  | { kind: 'add'; target: number; key: string; value: unknown }
  | { kind: 'wrap'; target: number; pick: number; depth: number }
  | { kind: 'graft'; target: number; pick: number; source: number }
  | { kind: 'resample'; target: number; pick: number };

const edgeValue = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...EDGE_VALUES) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), target: fc.nat(), pick: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), target: fc.nat(), pick: fc.nat(), value: edgeValue }),
  fc.record({ kind: fc.constant('add' as const), target: fc.nat(), key: fc.constantFrom(...EXTRA_KEYS), value: edgeValue }),
  fc.record({ kind: fc.constant('wrap' as const), target: fc.nat(), pick: fc.nat(), depth: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant('graft' as const), target: fc.nat(), pick: fc.nat(), source: fc.nat() }),
  fc.record({ kind: fc.constant('resample' as const), target: fc.nat(), pick: fc.nat() }),
);

/** Applies one mutation in place: each picks a container (object or array) of the payload, then a key in it. */
function mutate(root: Record<string, unknown>, change: Mutation, fresh: unknown): void {
  const places = containers(root);
  const node = at(root, places[change.target % places.length]) as Record<string, unknown>;
  const keys = Object.keys(node);
  const key = keys.length ? keys[('pick' in change ? change.pick : 0) % keys.length] : undefined;
  switch (change.kind) {
    case 'drop':
      if (key === undefined) return;
      if (Array.isArray(node)) node.splice(Number(key), 1);
      else delete node[key];
      return;
    case 'set':
      if (key !== undefined) setOwn(node, key, clone(change.value));
      return;
    case 'add':
      if (Array.isArray(node)) node.push(clone(change.value));
      else setOwn(node, change.key, clone(change.value));
      return;
    case 'wrap':
      if (key !== undefined) setOwn(node, key, change.depth === 1 ? [node[key]] : [[node[key]]]);
      return;
    case 'graft': {
      // Another part of the same payload in this place: right shapes in wrong places, and nested copies.
      const source = at(root, places[change.source % places.length]);
      if (key !== undefined) setOwn(node, key, clone(source));
      return;
    }
    case 'resample': {
      // The same place in another valid sample (other ids and instants): keeps the payload valid if the rest is.
      const path = [...places[change.target % places.length], ...(key === undefined ? [] : [key])];
      const value = path.reduce<unknown>((item, step) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[step] : undefined), fresh);
      if (key !== undefined && value !== undefined) setOwn(node, key, clone(value));
      return;
    }
  }
}

describe('validatePayload', () => {
  describe.each(ALL_TOPIC_CONTRACTS.map((contract) => [contract.topic, contract] as const))('%s', (_topic, contract) => {
    it('takes the fast path for its sample, building the instance class-transformer builds', () => {
      const sample = samplePayloadFor(contract);
      const fast = payloadFastPath(contract);
      expect(fast.reasons).toEqual([]);
      const value = fast.accept(sample);
      expect(value).toBeInstanceOf(contract.payload);
      const strict = validatePayloadStrict(contract, sample);
      expect(strict.ok).toBe(true);
      expect(value).toStrictEqual(strict.ok && strict.value);
      expect(validatePayload(contract, sample)).toStrictEqual(strict);
    });
  });

  describe.each(EVENT_CONTRACTS.map((contract) => [contract.topic, contract] as const))('%s against class-validator', (_topic, contract) => {
    it('answers exactly what class-validator answers for mutated samples (property)', () => {
      let fastAccepted = 0;
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (changes) => {
          const raw = clone(samplePayloadFor(contract)) as Record<string, unknown>;
          const fresh = samplePayloadFor(contract);
          for (const change of changes) mutate(raw, change, fresh);
          const strict = validatePayloadStrict(contract, raw);
          const fast = payloadFastPath(contract).accept(raw);
          // Soundness: the schema never accepts what class-validator refuses.
          if (fast) {
            fastAccepted += 1;
            expect(strict).toMatchObject({ ok: true });
          }
          expect(validatePayload(contract, raw)).toStrictEqual(strict);
        }),
        { numRuns: 400 },
      );
      // Mutations that keep a payload valid (an optional field dropped, a valid choice swapped in) exercise the fast path too.
      expect(fastAccepted).toBeGreaterThan(0);
    });
  });

  it('answers alike for payloads that are not JSON objects', () => {
    const contract = EVENT_CONTRACTS[0] as EventContract;
    for (const raw of [null, undefined, 'text', 7, [], [samplePayloadFor(contract)], new Date(0), new Map()]) {
      expect(validatePayload(contract, raw)).toStrictEqual(validatePayloadStrict(contract, raw));
    }
  });
});
