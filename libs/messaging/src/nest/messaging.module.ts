import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TopicNames } from '../common/topic-names';
import { OutboxWriter } from '../outbox/outbox-writer';
import { MessagingHealth } from './messaging-health.service';
import { MESSAGING_OPTIONS, MessagingModuleAsyncOptions, MessagingModuleOptions } from './messaging.options';
import { MessagingRuntime } from './messaging.runtime';
import { Outbox } from './outbox.service';

/**
 * Kafka messaging for a service: `Outbox` to publish in a transaction (and the one `OutboxWriter`
 * of the service, for SQL-level callers), `@EventHandler` methods to consume through the inbox,
 * and `MessagingHealth`. Global, so feature modules inject Outbox and OutboxWriter directly.
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
        { provide: OutboxWriter, inject: [MESSAGING_OPTIONS], useFactory: (o: MessagingModuleOptions) => new OutboxWriter(new TopicNames(o.topicPrefix)) },
        MessagingRuntime,
        Outbox,
        MessagingHealth,
      ],
      exports: [Outbox, OutboxWriter, MessagingHealth, MessagingRuntime, MESSAGING_OPTIONS],
    };
  }
}
