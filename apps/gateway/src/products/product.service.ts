import { Inject, Injectable } from '@nestjs/common';
import { DomainError, DomainErrorType } from '@omni/platform';
import type { ChannelPrincipal } from '../auth/principal';
import { CATALOG_READER, type CatalogReader } from '../catalog/catalog-reader.port';
import { ChannelFiguresService } from './channel-figures.service';
import { composeProductView } from './product-view.composer';
import type { ListProductsQueryDto } from './product.dto';
import type { ChannelProductPage, ChannelProductView } from './product.view';

/** Default page size of product lists. */
export const DEFAULT_PAGE_SIZE = 20;

/** Product views for a channel: catalog from the local copy, figures from pricing and inventory. */
@Injectable()
export class ProductService {
  constructor(
    @Inject(CATALOG_READER) private readonly catalog: CatalogReader,
    private readonly figures: ChannelFiguresService,
  ) {}

  /** A page of the products the principal's channel shows, filtered, in product id order. */
  async list(principal: ChannelPrincipal, query: ListProductsQueryDto): Promise<ChannelProductPage> {
    this.ensureReady();
    const page = this.catalog.list({
      channel: principal.channel,
      categoryId: query.category,
      tag: query.tag,
      text: query.q,
      after: query.after,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
    });
    const figures = await this.figures.figures(principal, page.items);
    return { items: page.items.map((view) => composeProductView(view, figures)), nextAfter: page.nextAfter };
  }

  /** One product as the principal's channel shows it; 404 when the channel does not show it. */
  async get(principal: ChannelPrincipal, productId: string): Promise<ChannelProductView> {
    this.ensureReady();
    const view = this.catalog.getForChannel(productId, principal.channel);
    if (!view) throw new DomainError(DomainErrorType.NotFound, 'PRODUCT_NOT_FOUND', `Product ${productId} is not available on this channel`);
    return composeProductView(view, await this.figures.figures(principal, [view]));
  }

  private ensureReady(): void {
    if (!this.catalog.isReady()) {
      throw new DomainError(DomainErrorType.Unavailable, 'CATALOG_LOADING', 'The product catalog is still loading; try again shortly');
    }
  }
}
