/** The payment provider's callback body (signed, see payment-signature.ts); shared with the gateway, which relays it. */
export { PaymentCallbackBody as PaymentCallbackDto } from '@omni/contracts';
