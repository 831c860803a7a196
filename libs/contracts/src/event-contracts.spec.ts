import { EVENT_CONTRACTS, contractForTopic } from './event-contracts.registry';
import { validatePayload } from './core/payload-validator';
import { samplePayloadFor } from './testing/samples';

// Fields a payload may leave out entirely; every other top-level field is required.
const OPTIONAL_FIELDS: Record<string, string[]> = { 'price-changed': ['channel'], 'inventory-branch-requested': ['replyTo'], 'pricing-branch-requested': ['replyTo'], 'member-branch-requested': ['replyTo', 'giftCardId'] };

/** A value of a different JSON type than the one given. */
function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return 42;
  if (typeof value === 'number') return 'forty-two';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return 'not-an-array';
  return 'not-an-object';
}

const errorsOf = (topic: string, raw: unknown): string[] => {
  const result = validatePayload(contractForTopic(topic)!, raw);
  return result.ok ? [] : result.errors;
};

describe('every event contract', () => {
  it('covers the catalogue topics exactly once', () => {
    expect(EVENT_CONTRACTS.map((contract) => contract.topic).sort()).toEqual([
      'coupon-issued',
      'coupon-redeemed',
      'gift-card-changed',
      'inventory-branch-requested',
      'member-branch-requested',
      'member-registered',
      'members-merged',
      'o2o-reconciliation-mismatch',
      'order-cancelled',
      'order-created',
      'order-paid',
      'order-ready-for-pickup',
      'order-refund-required',
      'order-return-disposed',
      'order-shipped',
      'points-changed',
      'price-changed',
      'pricing-branch-requested',
      'product-changed',
      'stock-changed',
      'stock-deducted',
      'stock-low',
      'stock-released',
      'stock-reserved',
      'tcc-branch-replied',
      'tier-changed',
    ]);
  });

  it('returns undefined for an unknown topic', () => {
    expect(contractForTopic('stock-reserved.dlq')).toBeUndefined();
    expect(contractForTopic('nope')).toBeUndefined();
  });

  describe.each(EVENT_CONTRACTS.map((contract) => [contract.topic, contract] as const))('%s', (topic, contract) => {
    it('accepts its valid sample as an instance of the payload class', () => {
      const result = validatePayload(contract, samplePayloadFor(contract));
      expect(result).toMatchObject({ ok: true });
      expect(result.ok && result.value).toBeInstanceOf(contract.payload);
    });

    it('declares a CloudEvents type naming source, topic and version', () => {
      expect(contract.type).toBe(`com.omniretail.${contract.source}.${topic}.v${contract.version}`);
      expect(contract.partitions).toBeGreaterThanOrEqual(1);
    });

    it('keys a message by a non-empty id taken from the payload', () => {
      const sample = samplePayloadFor(contract) as Record<string, unknown>;
      const key = contract.key(sample);
      expect(typeof key).toBe('string');
      expect(Object.values(sample)).toContain(key);
    });

    it('rejects each missing required field, naming it', () => {
      const sample = samplePayloadFor(contract) as Record<string, unknown>;
      const required = Object.keys(sample).filter((field) => !(OPTIONAL_FIELDS[topic] ?? []).includes(field));
      expect(required).toContain('occurredAt');
      for (const field of required) {
        const raw = { ...sample };
        delete raw[field];
        expect({ field, errors: errorsOf(topic, raw).filter((error) => error.startsWith(`${field}:`)) }).toEqual({
          field,
          errors: expect.arrayContaining([expect.any(String)]),
        });
      }
    });

    it('rejects a wrong JSON type in each field, naming it', () => {
      const sample = samplePayloadFor(contract) as Record<string, unknown>;
      for (const field of Object.keys(sample)) {
        const errors = errorsOf(topic, { ...sample, [field]: wrongTypeFor(sample[field]) });
        expect({ field, named: errors.some((error) => error.startsWith(`${field}:`)) }).toEqual({ field, named: true });
      }
    });

    it('rejects an unknown top-level field', () => {
      expect(errorsOf(topic, { ...samplePayloadFor(contract), surprise: 1 })).toEqual([
        'surprise: property surprise should not exist',
      ]);
    });

    it('rejects a schemaVersion other than the contract version', () => {
      const sample = samplePayloadFor(contract);
      expect(errorsOf(topic, { ...sample, schemaVersion: contract.version + 1 })).toEqual([
        `schemaVersion: schemaVersion must be ${contract.version} for ${topic} (got ${contract.version + 1})`,
      ]);
      expect(errorsOf(topic, { ...sample, schemaVersion: String(contract.version) })).toContain(
        'schemaVersion: schemaVersion must be an integer',
      );
    });

    it('rejects an occurredAt that is not a UTC instant', () => {
      for (const occurredAt of ['2024-05-01T12:00:00+08:00', '2024-05-01 12:00:00Z', '2024-13-45T12:00:00Z', '2024-02-30T00:00:00Z', '']) {
        expect(errorsOf(topic, { ...samplePayloadFor(contract), occurredAt })).toEqual([
          'occurredAt: occurredAt must be a UTC ISO-8601 timestamp like 2024-05-01T12:00:00.000Z',
        ]);
      }
    });

    it('never throws on input that is not an object', () => {
      for (const raw of [null, undefined, 'text', 7, [], [samplePayloadFor(contract)]]) {
        const result = validatePayload(contract, raw);
        expect(result.ok).toBe(false);
        expect(result.ok === false && result.errors[0]).toMatch(/^payload must be a JSON object/);
      }
    });
  });
});

describe('validatePayload on prototype keys', () => {
  it('reports __proto__ and constructor keys as unknown fields instead of dropping them', () => {
    const contract = contractForTopic('stock-reserved')!;
    const json = JSON.stringify(samplePayloadFor(contract));
    const raw: unknown = JSON.parse(json.replace('{', '{"__proto__":{"polluted":1},').replace('"quantity"', '"constructor":{},"quantity"'));
    const result = validatePayload(contract, raw);
    expect(result.ok === false && result.errors).toEqual([
      '__proto__: property __proto__ should not exist',
      'lines.0.constructor: property constructor should not exist',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
