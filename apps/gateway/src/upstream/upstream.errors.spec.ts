import { HttpException } from '@nestjs/common';
import { toErrorResponse } from '@omni/platform';
import { badUpstreamResponse, transportFailure, upstreamBusy, upstreamRejection } from './upstream.errors';

function answered(error: HttpException) {
  const { status, body, unexpected } = toErrorResponse(error);
  return { status, body, unexpected };
}

describe('upstream error mapping', () => {
  it('relays business 4xx with the upstream code, message and clean details', () => {
    const error = upstreamRejection('order', 409, {
      code: 'INSUFFICIENT_STOCK',
      message: 'Only 2 left',
      details: [{ field: 'lines.0.quantity', reason: 'exceeds 2' }, { bogus: true }],
      stack: 'at x',
    });
    expect(answered(error)).toEqual({
      status: 409,
      body: { code: 'INSUFFICIENT_STOCK', message: 'Only 2 left', details: [{ field: 'lines.0.quantity', reason: 'exceeds 2' }] },
      unexpected: false,
    });
  });

  it('writes relayed field paths the way the gateway names fields (dots, not brackets)', () => {
    const error = upstreamRejection('pricing', 400, {
      code: 'VALIDATION_FAILED',
      message: 'Request validation failed',
      details: [
        { field: 'thresholds[1].minSubtotal', reason: 'must be greater than thresholds[0].minSubtotal' },
        { field: 'prices[0].sku', reason: 'is listed twice' },
        { field: '(body)', reason: 'must be an object' },
        { field: 'conditions.and[2]', reason: 'unknown operator' },
      ],
    });
    expect(answered(error).body.details).toEqual([
      { field: 'thresholds.1.minSubtotal', reason: 'must be greater than thresholds[0].minSubtotal' },
      { field: 'prices.0.sku', reason: 'is listed twice' },
      { field: '(body)', reason: 'must be an object' },
      { field: 'conditions.and.2', reason: 'unknown operator' },
    ]);
  });

  it('names the service when a relayed 4xx has no error body', () => {
    expect(answered(upstreamRejection('order', 404, 'nope')).body).toEqual({ code: 'ORDER_REJECTED', message: 'The order service rejected the request (HTTP 404)' });
  });

  it('answers a call refused before it was sent with 429 <SERVICE>_BUSY and the Retry-After it was given', () => {
    const { status, body, headers } = toErrorResponse(upstreamBusy('o2o-connector', 4));
    expect({ status, code: body.code, headers }).toEqual({ status: 429, code: 'O2O_CONNECTOR_BUSY', headers: { 'retry-after': '4' } });
    expect(body.message).toMatch(/not sent.*retry in 4 s with the same Idempotency-Key/);
  });

  it('turns upstream 5xx into 502 and 503/429 into 503, never a gateway 500', () => {
    expect(answered(upstreamRejection('pricing', 500, { code: 'INTERNAL_ERROR', message: 'boom' }))).toMatchObject({ status: 502, body: { code: 'PRICING_ERROR' }, unexpected: false });
    expect(answered(upstreamRejection('pricing', 503, undefined))).toMatchObject({ status: 503, body: { code: 'PRICING_UNAVAILABLE' } });
    expect(answered(upstreamRejection('pricing', 429, undefined))).toMatchObject({ status: 503, body: { code: 'PRICING_UNAVAILABLE' } });
  });

  it('treats upstream 401/403 as a gateway misconfiguration (502), not as the caller being unauthorised', () => {
    expect(answered(upstreamRejection('catalog', 401, { code: 'UNAUTHORIZED', message: 'x' })).status).toBe(502);
    expect(answered(upstreamRejection('catalog', 403, { code: 'FORBIDDEN', message: 'x' })).status).toBe(502);
  });

  it("never relays an upstream's refusal of the gateway's own service credential, even where 401 is relayed", () => {
    for (const code of ['SERVICE_CREDENTIAL_REQUIRED', 'SERVICE_CREDENTIAL_INVALID']) {
      expect(answered(upstreamRejection('order', 401, { code, message: 'x' }, [401]))).toMatchObject({ status: 502, body: { code: 'ORDER_ERROR' } });
    }
    expect(answered(upstreamRejection('order', 401, { code: 'PAYMENT_SIGNATURE_INVALID', message: 'x' }, [401])).status).toBe(401);
  });

  it('answers transport failures with 503 and bad answers with 502, coded per service', () => {
    expect(answered(transportFailure('o2o-connector', 'timeout'))).toMatchObject({ status: 503, body: { code: 'O2O_CONNECTOR_TIMEOUT' } });
    expect(answered(transportFailure('inventory', 'unreachable'))).toMatchObject({ status: 503, body: { code: 'INVENTORY_UNAVAILABLE' } });
    // The call may have been done upstream (an order placed): the retry carries the same key, and every 503 says when.
    for (const failure of ['timeout', 'unreachable'] as const) {
      const { status, body, headers } = toErrorResponse(transportFailure('order', failure));
      expect({ status, headers, message: body.message }).toEqual({ status: 503, headers: { 'retry-after': '1' }, message: expect.stringContaining('same Idempotency-Key') });
    }
    expect(toErrorResponse(upstreamRejection('order', 503, undefined)).headers).toEqual({ 'retry-after': '1' });
    expect(answered(badUpstreamResponse('inventory', 'the body is not JSON'))).toMatchObject({ status: 502, body: { code: 'INVENTORY_BAD_RESPONSE' } });
  });
});
