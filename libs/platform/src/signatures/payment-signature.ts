// The payment provider's callback signature: one rule, checked by the order service and used by every signer.

import { createHmac, timingSafeEqual } from 'node:crypto';

/** The fields a provider signs, in a fixed order (the provider's canonical string, not our JSON). */
export interface SignedPaymentFields {
  orderId: string;
  paymentRef: string;
  amount: number;
  currency: string;
  paidAt: string;
}

/** `orderId=…&paymentRef=…&amount=…&currency=…&paidAt=…`: what the HMAC covers. */
export function canonicalPaymentString(f: SignedPaymentFields): string {
  return `orderId=${f.orderId}&paymentRef=${f.paymentRef}&amount=${f.amount}&currency=${f.currency}&paidAt=${f.paidAt}`;
}

/** Hex HMAC-SHA256 of the canonical string under `secret` (what a provider puts in X-Payment-Signature). */
export function signPayment(secret: string, f: SignedPaymentFields): string {
  return createHmac('sha256', secret).update(canonicalPaymentString(f)).digest('hex');
}

/** Constant-time check of a callback's signature. */
export function verifyPaymentSignature(secret: string, f: SignedPaymentFields, signature: string | undefined): boolean {
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = Buffer.from(signPayment(secret, f), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature.toLowerCase(), 'hex'));
}
