import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MessagingHealth } from './messaging-health.service';
import { MESSAGING_OPTIONS, MessagingModuleAsyncOptions } from './messaging.options';
import { MessagingRuntime } from './messaging.runtime';
import { Outbox } from './outbox.service';

/**
 * Kafka messaging for a service: `Outbox` to publish in a transaction, `@EventHandler` methods to
 * consume through the inbox, and `MessagingHealth`. Global, so feature modules inject Outbox directly.
 */
@Module({})
export class MessagingModule {
  /** Configures the module from a factory (typically reading ConfigService and the DataSource). */
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        { provide: MESSAGING_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        MessagingRuntime,
        Outbox,
        MessagingHealth,
      ],
      exports: [Outbox, MessagingHealth, MessagingRuntime, MESSAGING_OPTIONS],
    };
  }
}
