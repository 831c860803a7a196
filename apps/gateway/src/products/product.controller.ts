import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ChannelAuth, CurrentChannel } from '../auth/auth.decorators';
import type { ChannelPrincipal } from '../auth/principal';
import { ErrorBodyView } from '../docs/error-body.view';
import { ListProductsQueryDto, ProductIdParamDto } from './product.dto';
import { ProductService } from './product.service';
import { ChannelProductPage, ChannelProductView } from './product.view';

/** Products as the caller's channel shows them. */
@ApiTags('products')
@ChannelAuth()
@ApiServiceUnavailableResponse({ description: 'The catalog copy is still loading', type: ErrorBodyView })
@Controller('products')
export class ProductController {
  constructor(private readonly products: ProductService) {}

  /** Lists and searches the channel's products by category, tag and words. */
  @Get()
  @ApiOperation({ summary: "List or search the channel's products" })
  @ApiOkResponse({ type: ChannelProductPage })
  list(@CurrentChannel() channel: ChannelPrincipal, @Query() query: ListProductsQueryDto): Promise<ChannelProductPage> {
    return this.products.list(channel, query);
  }

  /** One product with the channel's title, media, badges, prices and stock hints. */
  @Get(':id')
  @ApiOperation({ summary: 'One product as the channel shows it' })
  @ApiOkResponse({ type: ChannelProductView })
  @ApiNotFoundResponse({ description: 'Unknown, or not shown on this channel', type: ErrorBodyView })
  get(@CurrentChannel() channel: ChannelPrincipal, @Param() params: ProductIdParamDto): Promise<ChannelProductView> {
    return this.products.get(channel, params.id);
  }
}
