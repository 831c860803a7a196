import { canonicalPaymentString, signPayment, verifyPaymentSignature } from './payment-signature';

const fields = { orderId: '0190a0b0-0000-7000-8000-000000000001', paymentRef: 'pay-1', amount: 13600, currency: 'CNY', paidAt: '2026-03-01T10:00:00.000Z' };

describe('payment signature', () => {
  it('signs a fixed canonical string', () => {
    expect(canonicalPaymentString(fields)).toBe(`orderId=${fields.orderId}&paymentRef=pay-1&amount=13600&currency=CNY&paidAt=2026-03-01T10:00:00.000Z`);
    expect(signPayment('s3cret', fields)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the provider signature and rejects forged, tampered or malformed ones', () => {
    const sig = signPayment('s3cret', fields);
    expect(verifyPaymentSignature('s3cret', fields, sig)).toBe(true);
    expect(verifyPaymentSignature('s3cret', fields, sig.toUpperCase())).toBe(true);
    expect(verifyPaymentSignature('other', fields, sig)).toBe(false);
    expect(verifyPaymentSignature('s3cret', { ...fields, amount: 1 }, sig)).toBe(false);
    expect(verifyPaymentSignature('s3cret', fields, undefined)).toBe(false);
    expect(verifyPaymentSignature('s3cret', fields, 'abc')).toBe(false);
  });
});
