// The one seam between the connector and a platform: everything the connector asks of a platform
// goes through this interface, whatever the platform's own API looks like.

/** Platform kinds the connector knows how to talk to. */
export type PlatformKind = 'delivery' | 'marketplace';

/** One stock value for one platform SKU at one platform stock point (a store or a warehouse). */
export interface PlatformStockUpdate {
  /** The platform's own SKU id. */
  platformSku: string;
  /** The platform's store id (delivery) or warehouse id (marketplace). */
  platformStore: string;
  /** Units the platform may sell. */
  quantity: number;
  /** Our version of this SKU's stock; the platform keeps it so a late push cannot win. */
  version: number;
}

/** One price for one platform SKU, in minor units. */
export interface PlatformPriceUpdate {
  /** The platform's own SKU id. */
  platformSku: string;
  /** Price per unit in minor units. */
  amount: number;
  /** ISO-4217 currency. */
  currency: string;
  /** Our price version; the platform drops an older one. */
  version: number;
}

/** A line of an order as the platform sent it, in the platform's ids. */
export interface PlatformOrderLine {
  /** The platform's SKU id. */
  platformSku: string;
  /** Units ordered. */
  quantity: number;
  /** Unit price charged by the platform, in minor units. */
  unitAmount: number;
}

/** An order as the platform announced it through its webhook, normalised. */
export interface PlatformOrder {
  /** The platform's order id (our idempotency anchor). */
  platformOrderId: string;
  /** The platform's store or warehouse the order is for. */
  platformStore: string;
  /** Lines in the platform's ids. */
  lines: PlatformOrderLine[];
  /** Total charged to the buyer, minor units. */
  totalAmount: number;
  /** ISO-4217 currency. */
  currency: string;
  /** When the platform stops waiting for our answer (delivery platforms), ISO-8601 UTC. */
  acceptBy?: string;
}

/** What a platform webhook said, after verification and normalisation. */
export type PlatformWebhookEvent =
  | { kind: 'order-created'; order: PlatformOrder }
  | { kind: 'order-cancelled'; platformOrderId: string; reason: string };

/** Our order statuses a platform is told about. */
export type PlatformOrderStatus = 'ready' | 'picked-up' | 'cancelled' | 'refunded';

/** One line of a platform's settlement statement, normalised. */
export interface SettlementLine {
  /** The platform's order id. */
  platformOrderId: string;
  /** What the buyer paid, minor units. */
  grossAmount: number;
  /** The platform's commission, minor units. */
  commissionAmount: number;
  /** What the platform pays us, minor units. */
  netAmount: number;
  /** ISO-4217 currency. */
  currency: string;
}

/** Headers and body of a webhook as they arrived, for signature checks. */
export interface InboundWebhook {
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body exactly as received. */
  rawBody: string;
}

/** Why a webhook was refused. */
export type WebhookRejection = 'missing-signature' | 'unknown-app' | 'forged' | 'stale' | 'malformed';

/** The result of verifying and parsing a webhook. */
export type WebhookVerdict = { ok: true; event: PlatformWebhookEvent } | { ok: false; reason: WebhookRejection };

/** Outcome of a call that the platform refused for a reason worth acting on. */
export type PlatformCallFailure =
  | { kind: 'rate-limited'; retryAfterMs: number }
  | { kind: 'unavailable'; detail: string }
  | { kind: 'refused'; detail: string };

/** A call either succeeded or failed in one of the typed ways above. */
export type PlatformCallResult<T = void> = { ok: true; value: T } | { ok: false; failure: PlatformCallFailure };

/** Everything the connector needs from one platform. */
export interface PlatformAdapter {
  /** Stable code of this platform (also its channel code in our events). */
  readonly platform: string;
  /** Delivery platforms stock per store, marketplaces per warehouse. */
  readonly kind: PlatformKind;
  /** The most stock updates one call may carry (1 for per-item APIs). */
  readonly maxStockBatch: number;
  /** Pushes stock values; the whole batch succeeds or fails together. */
  pushStock(updates: PlatformStockUpdate[]): Promise<PlatformCallResult>;
  /** Pushes one price. */
  pushPrice(update: PlatformPriceUpdate): Promise<PlatformCallResult>;
  /** Accepts a platform order. */
  acceptOrder(platformOrderId: string): Promise<PlatformCallResult>;
  /** Rejects a platform order with a reason the platform shows its buyer and staff. */
  rejectOrder(platformOrderId: string, reason: string): Promise<PlatformCallResult>;
  /** Tells the platform our order's status moved. */
  updateOrderStatus(platformOrderId: string, status: PlatformOrderStatus): Promise<PlatformCallResult>;
  /** Fetches the settlement statement of one day (YYYY-MM-DD, the platform's business day). */
  fetchSettlement(day: string): Promise<PlatformCallResult<SettlementLine[]>>;
  /** Verifies a webhook's signature and freshness, then parses it. */
  verifyWebhook(webhook: InboundWebhook, now: Date): WebhookVerdict;
}
