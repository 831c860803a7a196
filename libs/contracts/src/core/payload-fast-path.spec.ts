import { Expose, Transform, Type } from 'class-transformer';
import { IsDefined, IsEmail, IsInt, IsString, Matches, ValidateBy, ValidateNested } from 'class-validator';
import { PRODUCT_CHANGED } from '../catalog/product-changed.event';
import { ORDER_CREATED } from '../order/order-created.event';
import { ORDER_PAID } from '../order/order-paid.event';
import { STOCK_CHANGED } from '../inventory/stock-changed.event';
import { PRICE_CHANGED } from '../pricing/price-changed.event';
import { INVENTORY_BRANCH_REQUESTED } from '../tcc/inventory-branch-requested.event';
import { MEMBER_BRANCH_REQUESTED } from '../tcc/member-branch-requested.event';
import { TCC_BRANCH_REPLIED } from '../tcc/tcc-branch-replied.event';
import { sampleEvents } from '../testing/samples';
import { EventContract } from './event-contract';
import { payloadFastPath } from './payload-fast-path';
import { validatePayload, validatePayloadStrict } from './payload-validator';

/** A contract around a test payload class. */
function contractOf<T extends object>(payload: new () => T): EventContract<T> {
  return { topic: 'test-event', type: 'com.omniretail.test.test-event.v1', version: 1, source: 'test', payload, key: () => 'k', partitions: 1, summary: 'Test.' };
}

/** validatePayload, checked against the class-validator path it must agree with. */
function validated<T extends object>(contract: EventContract<T>, raw: unknown) {
  const result = validatePayload(contract, raw);
  expect(result).toStrictEqual(validatePayloadStrict(contract, raw));
  return result;
}

class Child {
  @IsInt()
  n: number;
}

class ChildWithoutRules {
  n: number;
}

class CustomRule {
  @ValidateBy({ name: 'isEven', validator: { validate: (value: unknown) => typeof value === 'number' && value % 2 === 0 } })
  n: number;
}
class BuiltInWithoutSchema {
  @IsEmail()
  email: string;
}
class PatternWithFlags {
  @Matches(/^abc$/i)
  code: string;
}
class NestedWithoutType {
  @ValidateNested()
  child: Child;
}
class TypeWithoutNested {
  @IsDefined()
  @Type(() => Child)
  child: Child;
}
class Discriminated {
  @ValidateNested()
  @Type(() => Child, { discriminator: { property: 'kind', subTypes: [{ value: Child, name: 'child' }] } })
  child: Child;
}
class Transformed {
  @IsString()
  @Transform(({ value }) => String(value).trim())
  name: string;
}
class Exposed {
  @IsString()
  @Expose({ name: 'full_name' })
  name: string;
}
class NestedWithoutRules {
  @ValidateNested()
  @Type(() => ChildWithoutRules)
  child: ChildWithoutRules;
}

describe('payload fast path', () => {
  describe('falls back to class-validator, found from the metadata alone, for a rule without an exact schema', () => {
    it.each([
      ['a custom constraint', CustomRule, 'CustomRule.n: no exact schema for constraint isEven', { n: 2 }],
      ['a built-in constraint the table lacks', BuiltInWithoutSchema, 'BuiltInWithoutSchema.email: no exact schema for constraint isEmail', { email: 'a@b.cn' }],
      ['a pattern with flags', PatternWithFlags, 'PatternWithFlags.code: matches: pattern has flags', { code: 'ABC' }],
      ['@ValidateNested without @Type', NestedWithoutType, 'NestedWithoutType.child: @ValidateNested without @Type (class-transformer would leave a plain object)', { child: { n: 1 } }],
      ['@Type without @ValidateNested', TypeWithoutNested, 'TypeWithoutNested.child: no exact schema for isDefined', { child: { n: 1 } }],
      ['a discriminated @Type', Discriminated, 'Discriminated.child: @Type with a discriminator', { child: { n: 1 } }],
      ['@Transform', Transformed, 'Transformed.name: @Transform', { name: ' a ' }],
      ['@Expose', Exposed, 'Exposed: @Expose or @Exclude', { full_name: 'a' }],
      ['a nested class without rules', NestedWithoutRules, 'ChildWithoutRules has no validation rules (class-validator refuses it as an unknown value)', { child: { n: 1 } }],
    ])('%s', (_label, payload, reason, raw) => {
      const contract = contractOf(payload as new () => object);
      expect(payloadFastPath(contract).reasons).toContain(reason);
      expect(payloadFastPath(contract).accept(raw)).toBeUndefined();
      validated(contract, raw);
    });

    it('also names @Type without @ValidateNested when nothing else is wrong', () => {
      class TypedOnly {
        @IsInt()
        @Type(() => Child)
        n: number;
      }
      expect(payloadFastPath(contractOf(TypedOnly)).reasons).toEqual(['TypedOnly.n: @Type without @ValidateNested']);
    });
  });

  describe('runs ValidateIf conditions on the built instance when a conditional field is missing', () => {
    it.each([
      ['inventory confirm without lines', INVENTORY_BRANCH_REQUESTED, sampleEvents.inventoryBranchRequested({ op: 'confirm', lines: undefined })],
      ['member Try without a gift card', MEMBER_BRANCH_REQUESTED, sampleEvents.memberBranchRequested({ giftCardAmount: 0, giftCardId: undefined })],
      ['an anonymous buyer shipped to', ORDER_CREATED, sampleEvents.orderCreated({ buyer: { anonymous: true }, fulfilment: { type: 'ship' } })],
      ['a deleted product without its snapshot', PRODUCT_CHANGED, sampleEvents.productChanged({ op: 'deleted', product: undefined })],
      ['a base price (channel null)', PRICE_CHANGED, sampleEvents.priceChanged({ channel: null })],
    ])('accepts %s on the fast path', (_label, contract, raw) => {
      const value = payloadFastPath(contract as EventContract).accept(JSON.parse(JSON.stringify(raw)));
      expect(value).toBeInstanceOf(contract.payload);
      expect(validated(contract as EventContract, raw)).toMatchObject({ ok: true });
    });

    it.each([
      ['inventory Try without lines', INVENTORY_BRANCH_REQUESTED, sampleEvents.inventoryBranchRequested({ lines: undefined }), 'lines: lines must be an array'],
      ['member Try holding a gift-card amount without the card', MEMBER_BRANCH_REQUESTED, sampleEvents.memberBranchRequested({ giftCardId: undefined }), 'giftCardId: giftCardId must be a UUID'],
      ['a buyer neither anonymous nor a member', ORDER_CREATED, sampleEvents.orderCreated({ buyer: { anonymous: false } }), 'buyer.memberId: memberId must be a UUID'],
      ['a pickup without its store', ORDER_CREATED, sampleEvents.orderCreated({ fulfilment: { type: 'pickup' } }), 'fulfilment.locationId: locationId must be a UUID'],
      ['an upserted product without its snapshot', PRODUCT_CHANGED, sampleEvents.productChanged({ product: undefined }), 'product: product must be an object (required when op is upserted)'],
    ])('leaves %s to class-validator', (_label, contract, raw, error) => {
      expect(payloadFastPath(contract as EventContract).accept(JSON.parse(JSON.stringify(raw)))).toBeUndefined();
      expect(validated(contract as EventContract, raw)).toMatchObject({ ok: false, errors: expect.arrayContaining([error]) });
    });
  });

  describe('never accepts more than class-validator', () => {
    const reply = (detail: unknown) => sampleEvents.tccBranchReplied({ outcome: 'success', reasons: [], detail: detail as Record<string, unknown> });

    it('refuses what only looks like an instant or a UUID', () => {
      for (const occurredAt of ['2016-12-31T23:59:60Z', '2023-02-29T00:00:00Z', '2024-05-01T12:00:00.1234567891Z']) {
        expect(validated(TCC_BRANCH_REPLIED, { ...reply(undefined), occurredAt }).ok).toBe(false);
      }
      for (const gid of ['urn:uuid:0190f5a8-3c1e-7d2a-9b4f-2e6c8a1d3f5b', '0190f5a8-3c1e-0d2a-9b4f-2e6c8a1d3f5b', '0190f5a8-3c1e-7d2a-cb4f-2e6c8a1d3f5b']) {
        expect(validated(TCC_BRANCH_REPLIED, { ...reply(undefined), gid }).ok).toBe(false);
      }
    });

    it('counts lengths in UTF-16 code units, so astral characters never slip past a bound', () => {
      // IsText(128) counts code units like the schema: 64 emoji are 128 units, 65 are too many.
      const paid = (paymentRef: string) => sampleEvents.orderPaid({ paymentRef });
      expect(payloadFastPath(ORDER_PAID).accept(paid('😀'.repeat(64)))).toBeDefined();
      expect(validated(ORDER_PAID, paid('😀'.repeat(65))).ok).toBe(false);
      // MaxLength(500) counts an emoji as one (validator.js): the schema refuses early and class-validator accepts.
      const raw = sampleEvents.tccBranchReplied({ reasons: [{ line: 0, code: 'X', message: '😀'.repeat(251) }] });
      expect(payloadFastPath(TCC_BRANCH_REPLIED).accept(raw)).toBeUndefined();
      expect(validated(TCC_BRANCH_REPLIED, raw).ok).toBe(true);
    });

    it('leaves reserved keys in free-form objects to class-validator, which reports them', () => {
      for (const json of ['{"__proto__":{"x":1}}', '{"a":{"constructor":1}}', '{"toString":{"prototype":1}}', '{"list":[{"__proto__":1}]}']) {
        const raw = reply(JSON.parse(json));
        expect(payloadFastPath(TCC_BRANCH_REPLIED).accept(raw)).toBeUndefined();
        expect(validated(TCC_BRANCH_REPLIED, raw).ok).toBe(false);
      }
    });

    it('copies free-form objects the way class-transformer does', () => {
      const raw = reply({ total: 13600, currency: 'CNY', toString: 'dropped', nested: { valueOf: 1, kept: [1, { a: null }] } });
      const result = validated(TCC_BRANCH_REPLIED, raw);
      expect(result.ok && result.value).toMatchObject({ detail: { total: 13600, nested: { kept: [1, { a: null }] } } });
      expect(result.ok && Object.keys((result.value as { detail: object }).detail)).toEqual(['total', 'currency', 'nested']);
    });

    it('answers like class-validator for objects JSON.parse never makes', () => {
      const throwing = { ...sampleEvents.stockChanged() };
      Object.defineProperty(throwing, 'sku', { enumerable: true, get: () => { throw new Error('boom'); } });
      expect(validated(STOCK_CHANGED, throwing)).toMatchObject({ ok: false });
      expect(validated(TCC_BRANCH_REPLIED, reply({ at: new Date(0) })).ok).toBe(true);
      expect(validated(TCC_BRANCH_REPLIED, reply(new Map())).ok).toBe(true);
      // class-transformer turns a Set into an array, which class-validator then accepts.
      expect(validated(TCC_BRANCH_REPLIED, { ...reply(undefined), reasons: new Set() }).ok).toBe(true);
    });
  });
});
