// The payment callback's signature rule lives in @omni/platform: the order service checks it and the
// O2O connector signs with it (a delivery platform is the payment provider of its orders).
export { canonicalPaymentString, signPayment, verifyPaymentSignature, type SignedPaymentFields } from '@omni/platform';
