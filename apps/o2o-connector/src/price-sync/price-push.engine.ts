import type { IdMapper } from '../domain/id-mapping';
import type { PlatformAdapter } from '../domain/platform-adapter.port';
import type { TokenBucket } from '../domain/token-bucket';
import { PushEngine, type PushOutcomes, type PushSettings } from '../push/push.engine';
import type { WantedPrice } from './price-sync.store';

/**
 * Drives one platform's price pushes: coalesced per SKU (the newest version wins, an older one never
 * replaces it), one price per call, under the platform's rate limit shared with its stock pushes.
 */
export class PricePushEngine {
  private readonly engine: PushEngine<WantedPrice>;

  /** One per platform while this replica leads. */
  constructor(
    adapter: PlatformAdapter,
    settings: PushSettings,
    bucket: TokenBucket,
    private mapper: IdMapper,
    outcomes: PushOutcomes<WantedPrice>,
  ) {
    this.engine = new PushEngine<WantedPrice>(
      {
        maxBatch: 1,
        prepare: (due) => ({
          sendable: due.filter((push) => this.mapper.platformSkuOf(push.value.sku) !== undefined),
          unmapped: due.filter((push) => this.mapper.platformSkuOf(push.value.sku) === undefined),
        }),
        send: ([push]) => adapter.pushPrice({ platformSku: this.mapper.platformSkuOf(push.value.sku)!, amount: push.value.amount, currency: push.value.currency, version: push.version }),
      },
      settings,
      bucket,
      outcomes,
    );
  }

  /** Offers a price (pushed once it is effective). */
  offer(price: WantedPrice): void {
    this.engine.offerValue(price.sku, price.version, price, Date.now());
  }

  /** Replaces the id mappings. */
  useMappings(mapper: IdMapper): void {
    this.mapper = mapper;
  }

  /** Prices waiting or in flight. */
  get pending(): number {
    return this.engine.pending;
  }

  /** Stops scheduling. */
  stop(): void {
    this.engine.stop();
  }
}
