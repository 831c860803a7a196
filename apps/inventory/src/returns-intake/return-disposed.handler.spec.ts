import { isPermanentError } from '@omni/messaging';
import { DomainError, DomainErrorType } from '@omni/platform';
import { asEventError } from './return-disposed.handler';

describe('asEventError', () => {
  it('dead-letters business refusals at once, naming code and fields', () => {
    const refused = new DomainError(DomainErrorType.NotAllowed, 'UNKNOWN_REFERENCE', 'The request names locations or owners that do not exist', [
      { field: 'locationId', reason: 'unknown location x' },
    ]);
    const mapped = asEventError(refused);
    expect(isPermanentError(mapped)).toBe(true);
    expect((mapped as Error).message).toBe('UNKNOWN_REFERENCE: The request names locations or owners that do not exist (locationId: unknown location x)');
    expect(isPermanentError(asEventError(new DomainError(DomainErrorType.Conflict, 'IDEMPOTENCY_KEY_REUSED', 'reused')))).toBe(true);
  });

  it('leaves conditions of the moment and unknown failures to the retries', () => {
    for (const type of [DomainErrorType.Unavailable, DomainErrorType.RateLimited, DomainErrorType.Unexpected]) {
      const error = new DomainError(type, 'X', 'x');
      expect(asEventError(error)).toBe(error);
    }
    const dbDown = new Error('connection terminated');
    expect(asEventError(dbDown)).toBe(dbDown);
    expect(isPermanentError(asEventError(dbDown))).toBe(false);
  });
});
