import { backoffDelay } from './backoff';
import { headersToStrings } from './cloud-events';
import { EventValidationError, isPermanentError, PermanentEventError } from './errors';
import { TopicNames } from './topic-names';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, keeping half of it fixed', () => {
    const low = () => 0;
    const high = () => 1;
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, 100, 500, low))).toEqual([50, 100, 200, 250, 250]);
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, 100, 500, high))).toEqual([100, 200, 400, 500, 500]);
  });
});

describe('TopicNames', () => {
  it('prefixes physical and dead-letter topics', () => {
    const names = new TopicNames('staging.');
    expect(names.physical('stock-changed')).toBe('staging.stock-changed');
    expect(names.deadLetter('stock-changed')).toBe('staging.stock-changed.dlq');
  });
});

describe('headersToStrings', () => {
  it('decodes buffers, takes the first of repeated headers and drops empty ones', () => {
    expect(headersToStrings({ a: Buffer.from('x'), b: [Buffer.from('y'), Buffer.from('z')], c: undefined, d: 'plain' })).toEqual({
      a: 'x',
      b: 'y',
      d: 'plain',
    });
  });
});

describe('isPermanentError', () => {
  it('recognises our permanent errors and any error flagged permanent, and nothing else', () => {
    expect(isPermanentError(new PermanentEventError('closed'))).toBe(true);
    expect(isPermanentError(new EventValidationError('t', ['amount: too small']))).toBe(true);
    expect(isPermanentError(Object.assign(new Error('x'), { permanent: true }))).toBe(true);
    expect(isPermanentError(new Error('timeout'))).toBe(false);
    expect(isPermanentError(Object.assign(new Error('x'), { permanent: 'yes' }))).toBe(false);
    expect(isPermanentError(undefined)).toBe(false);
  });
});
