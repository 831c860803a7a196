import { Global, Module } from '@nestjs/common';
import { CatalogCacheReader } from './catalog-cache.reader';
import { CatalogLoader } from './catalog-loader';
import { CATALOG_READER } from './catalog-reader.port';

/** The gateway's local catalog copy: full export at start, then product-changed deltas from Kafka. */
@Global()
@Module({
  providers: [
    CatalogLoader,
    { provide: CATALOG_READER, inject: [CatalogLoader], useFactory: (loader: CatalogLoader) => new CatalogCacheReader(loader, () => loader.isReady()) },
  ],
  exports: [CATALOG_READER],
})
export class CatalogModule {}
