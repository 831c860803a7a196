import type { Quote } from '../domain';

/** A stored quote as the API returns it: the engine's result plus id and expiry. */
export interface QuoteView extends Quote {
  quoteId: string;
  /** Until when the quote can be locked by an order (UTC ISO-8601). */
  expiresAt: string;
  memberId?: string;
}
