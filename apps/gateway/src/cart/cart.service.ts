import { Inject, Injectable } from '@nestjs/common';
import { DomainError, DomainErrorType, type ErrorDetail } from '@omni/platform';
import type { ChannelPrincipal } from '../auth/principal';
import { CATALOG_READER, type CatalogReader } from '../catalog/catalog-reader.port';
import { PricingGateway, type QuoteLineRequest } from '../pricing/pricing.gateway';
import type { CartLineDto } from './cart.dto';

/** Cart lines checked against what the caller's channel sells. */
@Injectable()
export class CartService {
  constructor(
    @Inject(CATALOG_READER) private readonly catalog: CatalogReader,
    private readonly pricing: PricingGateway,
  ) {}

  /** The lines, or 422 naming every SKU the channel does not sell. */
  channelLines(principal: ChannelPrincipal, lines: readonly CartLineDto[]): QuoteLineRequest[] {
    if (!this.catalog.isReady()) {
      throw new DomainError(DomainErrorType.Unavailable, 'CATALOG_LOADING', 'The product catalog is still loading; try again shortly');
    }
    const problems: ErrorDetail[] = [];
    const result = lines.map((line, index) => {
      if (!this.catalog.findSku(principal.channel, line.sku)) {
        problems.push({ field: `lines.${index}.sku`, reason: `SKU ${line.sku} is not sold on this channel` });
        return { sku: line.sku, quantity: line.quantity };
      }
      return { sku: line.sku, quantity: line.quantity };
    });
    if (problems.length > 0) {
      throw new DomainError(DomainErrorType.NotAllowed, 'SKU_NOT_IN_CHANNEL', 'Some SKUs are not sold on this channel', problems);
    }
    return result;
  }

  /** Prices the cart for the caller's channel (and store), and for the signed-in member when there is one. */
  quote(principal: ChannelPrincipal, lines: readonly CartLineDto[], couponCodes: readonly string[] = [], memberId?: string): Promise<unknown> {
    return this.pricing.quote(principal.channel, principal.locationId, this.channelLines(principal, lines), [...couponCodes], memberId);
  }
}
