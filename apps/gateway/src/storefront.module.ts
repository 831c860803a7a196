import { Module } from '@nestjs/common';
import { CartController } from './cart/cart.controller';
import { CartService } from './cart/cart.service';
import { OrderController } from './orders/order.controller';
import { OrderGateway } from './orders/order.gateway';
import { ChannelFiguresService } from './products/channel-figures.service';
import { ProductController } from './products/product.controller';
import { ProductService } from './products/product.service';

/** What channel frontends call with their API key: products, cart quotes, orders, pickups. */
@Module({
  controllers: [ProductController, CartController, OrderController],
  providers: [ProductService, ChannelFiguresService, CartService, OrderGateway],
})
export class StorefrontModule {}
