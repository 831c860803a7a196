import { Global, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { requestBodyGuard } from '../http/request-body.guard';
import { PricingGateway } from '../pricing/pricing.gateway';
import { requestContextMiddleware } from './request-context';
import { Upstreams } from './upstreams';

/** Clients of the internal APIs, the request context that carries request ids to them, and the body guard. */
@Global()
@Module({
  providers: [Upstreams, PricingGateway],
  exports: [Upstreams, PricingGateway],
})
export class UpstreamModule implements NestModule {
  /** Every request runs inside its context; bodies are checked before any route sees them. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestContextMiddleware, requestBodyGuard).forRoutes('*');
  }
}
