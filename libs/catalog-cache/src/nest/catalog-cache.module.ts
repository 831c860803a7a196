import { Inject, Injectable, Logger, Module, type BeforeApplicationShutdown, type DynamicModule, type ModuleMetadata, type OnApplicationBootstrap } from '@nestjs/common';
import { CatalogCache, type CatalogCacheOptions } from '../catalog-cache';

/** Injection token of the resolved CatalogCacheOptions. */
export const CATALOG_CACHE_OPTIONS = Symbol('CATALOG_CACHE_OPTIONS');

/** `CatalogCacheModule.forRootAsync` arguments. */
export interface CatalogCacheModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors Nest's own factory providers
  inject?: any[];
  useFactory: (...args: never[]) => CatalogCacheOptions | Promise<CatalogCacheOptions>;
}

/** Starts the cache when the app boots (the app is not up before the reload finished) and stops it on shutdown. */
@Injectable()
export class CatalogCacheLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CatalogCache');

  constructor(@Inject(CatalogCache) private readonly cache: CatalogCache) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.cache.start();
    this.logger.log({ msg: 'catalog cache ready', products: this.cache.size });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.cache.stop();
  }
}

/** Nest wiring of the catalog cache: inject `CatalogCache` anywhere (global). */
@Module({})
export class CatalogCacheModule {
  /** Configures the cache from a factory (typically reading the host's config). */
  static forRootAsync(options: CatalogCacheModuleAsyncOptions): DynamicModule {
    return {
      module: CatalogCacheModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: CATALOG_CACHE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: CatalogCache,
          inject: [CATALOG_CACHE_OPTIONS],
          useFactory: (resolved: CatalogCacheOptions) => {
            const logger = new Logger('CatalogCache');
            return new CatalogCache({
              logger: {
                info: (msg, fields) => logger.log({ msg, ...fields }),
                warn: (msg, fields) => logger.warn({ msg, ...fields }),
                error: (msg, fields) => logger.error({ msg, ...fields }),
              },
              ...resolved,
            });
          },
        },
        CatalogCacheLifecycle,
      ],
      exports: [CatalogCache],
    };
  }
}
