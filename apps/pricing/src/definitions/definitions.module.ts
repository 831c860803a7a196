import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { PricingEnv } from '../config/pricing.config';
import { EffectivePriceSync } from '../price-events/effective-price.sync';
import { PRICING_CLOCK } from '../shared/pricing.tokens';
import { PricingWriteRunner } from '../shared/pricing-write.runner';
import { PricingSnapshotLoader } from '../snapshot/pricing-snapshot.loader';
import { COUPON_TEMPLATES, CouponTemplateController, PRICE_RULES, PriceRuleController } from './definition.controller';
import { COUPON_TEMPLATE_KIND, PRICE_RULE_KIND } from './definition-kinds';
import { DefinitionKindConfig, DefinitionService, StoredDefinition } from './definition.service';

const DEPS = [DataSource, PricingWriteRunner, PricingSnapshotLoader, EffectivePriceSync, PRICING_CLOCK, SERVICE_CONFIG];

function storeOf<T extends StoredDefinition>(kind: DefinitionKindConfig<T>) {
  return (ds: DataSource, writes: PricingWriteRunner, snapshots: PricingSnapshotLoader, sync: EffectivePriceSync, clock: Clock, env: PricingEnv) =>
    new DefinitionService(kind, ds, writes, snapshots, sync, clock, env.PRICING_CURRENCY);
}

/** Price rules and coupon templates: versioned JSON definitions validated by the pricing domain. */
@Module({
  controllers: [PriceRuleController, CouponTemplateController],
  providers: [
    { provide: PRICE_RULES, inject: DEPS, useFactory: storeOf(PRICE_RULE_KIND) },
    { provide: COUPON_TEMPLATES, inject: DEPS, useFactory: storeOf(COUPON_TEMPLATE_KIND) },
  ],
})
export class DefinitionsModule {}
