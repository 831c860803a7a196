import { applyDecorators } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { ErrorBodyView, RETRY_AFTER_HEADER } from '../docs/error-body.view';
import { OrderView } from './order.view';

/**
 * Every answer of POST /orders, with its body: what a buyer's app must handle. Applied above the
 * route's auth decorators, whose generic 401 and 429 descriptions it continues for this route.
 */
export function ApiPlaceOrderResponses(): MethodDecorator {
  return applyDecorators(
    ApiCreatedResponse({
      type: OrderView,
      description:
        "Decided. `reserved`: the goods are held, pay by `paymentDeadline`. `rejected`: refused, with a reason per line in `rejection` (e.g. INSUFFICIENT_STOCK, QUOTE_EXPIRED). A retry with the same Idempotency-Key answers the order's state now (e.g. `paid`, `cancelled`), never a second order",
    }),
    ApiAcceptedResponse({
      type: OrderView,
      description:
        'Still being decided (`created`): the decision did not come within the order service\'s wait. Retry with the same Idempotency-Key (it waits for the decision again, and never places a second order), or read GET /orders/{id}',
    }),
    ApiBadRequestResponse({
      type: ErrorBodyView,
      description: 'Malformed request: a field (`details` names each field and rule), a missing or malformed Idempotency-Key, a body that is not JSON, or a guest checkout while a member is signed in',
    }),
    ApiUnauthorizedResponse({
      type: ErrorBodyView,
      description: 'Also when a member order (buyer.anonymous false), points or a gift card come without member credentials (a member token, or X-Channel-Account-Id)',
    }),
    ApiNotFoundResponse({ type: ErrorBodyView, description: 'The quote is not known on this channel (QUOTE_NOT_FOUND)' }),
    ApiConflictResponse({
      type: ErrorBodyView,
      description:
        'SOLD_OUT (a SKU has no stock left on this channel, known before any order is written: from the gateway\'s projection of inventory\'s stock-changed, or from the order service\'s read of inventory\'s ATP for a shipped order. Nothing was written, so a retry with the same key is judged afresh), IDEMPOTENCY_KEY_REUSED (the key was used for another order), COUPON_NOT_IN_WALLET (a quote coupon the member does not hold), QUOTE_LINES_MISMATCH or QUOTE_OF_OTHER_BUYER (the quote does not price this order), PAYMENT_WINDOW_CLOSED (a retry found the order reserved, but its payment deadline has passed: it will be cancelled unless a payment captured in time is being reported; GET /orders/{id} tells which)',
    }),
    ApiPayloadTooLargeResponse({ type: ErrorBodyView, description: 'The body is larger than the gateway accepts' }),
    ApiUnsupportedMediaTypeResponse({ type: ErrorBodyView, description: 'The body is not application/json' }),
    ApiUnprocessableEntityResponse({ type: ErrorBodyView, description: 'A SKU is not sold (SKU_NOT_IN_CHANNEL) or not priced (SKU_NOT_PRICED) on this channel' }),
    ApiTooManyRequestsResponse({
      type: ErrorBodyView,
      headers: RETRY_AFTER_HEADER,
      description:
        'Here ORDER_BUSY, PRICING_BUSY or MEMBER_BUSY: the gateway already has as many calls to that service in flight and queued as it may. Retry after Retry-After with the same Idempotency-Key',
    }),
    ApiBadGatewayResponse({ type: ErrorBodyView, description: 'A service failed or answered unexpectedly (ORDER_ERROR, ORDER_BAD_RESPONSE, …): a fault of ours. Retrying with the same Idempotency-Key is safe' }),
    ApiServiceUnavailableResponse({
      type: ErrorBodyView,
      headers: RETRY_AFTER_HEADER,
      description:
        'A service did not answer in time or is unavailable (ORDER_TIMEOUT, ORDER_UNAVAILABLE, …). The order may have been placed: retry after Retry-After with the same Idempotency-Key to get its decision; no second order is placed',
    }),
  );
}
