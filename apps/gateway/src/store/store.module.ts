import { Module } from '@nestjs/common';
import { ShelfLabelController } from './shelf-label.controller';

/** What store devices call with their store's key besides the storefront routes: the shelf-label feed. */
@Module({ controllers: [ShelfLabelController] })
export class StoreModule {}
