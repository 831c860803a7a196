import { BadRequestException, ConflictException, HttpException } from '@nestjs/common';
import { DomainError, DomainErrorType, HTTP_STATUS_BY_ERROR_TYPE, ValidationFailedError } from './domain-error';
import { toErrorResponse } from './error-response';

describe('toErrorResponse', () => {
  it('gives every domain error type a status, in one table', () => {
    for (const type of Object.values(DomainErrorType)) {
      const { status } = toErrorResponse(new DomainError(type, 'SOME_CODE', 'msg'));
      expect(status).toBe(HTTP_STATUS_BY_ERROR_TYPE[type]);
    }
  });

  it('answers a domain error with its own code, message and details', () => {
    const error = new DomainError(DomainErrorType.Conflict, 'INSUFFICIENT_STOCK', 'Only 2 left', [{ field: 'lines.0.quantity', reason: 'exceeds 2' }]);
    expect(toErrorResponse(error)).toEqual({
      status: 409,
      body: { code: 'INSUFFICIENT_STOCK', message: 'Only 2 left', details: [{ field: 'lines.0.quantity', reason: 'exceeds 2' }] },
      unexpected: false,
    });
  });

  it('answers validation failures with VALIDATION_FAILED and the fields', () => {
    const { status, body } = toErrorResponse(new ValidationFailedError([{ field: 'sku', reason: 'sku must be a string' }]));
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'sku', reason: 'sku must be a string' }] });
    expect(body.message).toContain('sku');
  });

  it('tells the client when to retry any 503, an unavailable dependency as well as an overload', () => {
    const upstream = new HttpException({ code: 'ORDER_UNAVAILABLE', message: 'The order service is unavailable; try again shortly' }, 503);
    expect(toErrorResponse(upstream)).toEqual({ status: 503, body: { code: 'ORDER_UNAVAILABLE', message: expect.any(String) }, unexpected: false, headers: { 'retry-after': '1' } });
    expect(toErrorResponse(new DomainError(DomainErrorType.Conflict, 'X', 'm')).headers).toBeUndefined();
  });

  it('answers Retry-After when a domain error says when to try again (overload shed before any work)', () => {
    const busy = new DomainError(DomainErrorType.RateLimited, 'ORDER_BUSY', 'The order service is busy', undefined, { retryAfterSeconds: 2.3 });
    expect(toErrorResponse(busy)).toEqual({ status: 429, body: { code: 'ORDER_BUSY', message: 'The order service is busy' }, unexpected: false, headers: { 'retry-after': '3' } });
    const unavailable = new DomainError(DomainErrorType.Unavailable, 'X_DOWN', 'm', undefined, { retryAfterSeconds: 5 });
    expect(toErrorResponse(unavailable).headers).toEqual({ 'retry-after': '5' });
    expect(new DomainError(DomainErrorType.Conflict, 'X', 'm', undefined, { cause: new Error('c') }).cause).toBeInstanceOf(Error);
  });

  it('maps Nest HttpExceptions by status', () => {
    expect(toErrorResponse(new ConflictException('already paid')).body).toEqual({ code: 'CONFLICT', message: 'already paid' });
    expect(toErrorResponse(new BadRequestException(['a is bad', 'b is bad'])).body).toEqual({ code: 'BAD_REQUEST', message: 'a is bad; b is bad' });
    expect(toErrorResponse(new HttpException('teapot', 418))).toMatchObject({ status: 418, body: { code: 'HTTP_418', message: 'teapot' } });
  });

  it('hides unexpected errors and flags them for an error log', () => {
    expect(toErrorResponse(new TypeError('x is undefined'))).toEqual({
      status: 500,
      body: { code: 'INTERNAL_ERROR', message: 'Internal server error' },
      unexpected: true,
    });
  });

  it('answers database overload with 503 DATABASE_BUSY and Retry-After, not as a bug', () => {
    for (const error of [
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') }),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    ]) {
      expect(toErrorResponse(error)).toMatchObject({ status: 503, body: { code: 'DATABASE_BUSY' }, unexpected: false, headers: { 'retry-after': '1' } });
    }
    expect(toErrorResponse(new Error('timeout exceeded'))).toMatchObject({ status: 500, unexpected: true });
  });

  it('maps body parser failures', () => {
    expect(toErrorResponse(Object.assign(new Error('too big'), { type: 'entity.too.large', status: 413, limit: 1_048_576 }))).toMatchObject({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE' },
    });
    expect(toErrorResponse(Object.assign(new Error('bad'), { type: 'entity.parse.failed', status: 400 }))).toMatchObject({
      status: 400,
      body: { code: 'MALFORMED_BODY' },
    });
  });
});
