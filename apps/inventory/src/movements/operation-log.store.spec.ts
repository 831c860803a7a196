import { DomainError } from '@omni/platform';
import { idempotencyKeyOf } from './operation-log.store';

describe('idempotencyKeyOf', () => {
  it('prefers the header, falls back to the document id, and requires one of them', () => {
    expect(idempotencyKeyOf('rcpt-0001', 'doc')).toBe('key:rcpt-0001');
    expect(idempotencyKeyOf(undefined, 'doc')).toBe('doc:doc');
    expect(() => idempotencyKeyOf(undefined, undefined)).toThrow(DomainError);
  });
});
