import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Upstreams } from '../upstream/upstreams';
import { COUPON_TEMPLATE_BODIES } from './coupon-template-admin.dto';
import { DefinitionAdminRoutes } from './definition-admin.routes';
import { PRICE_RULE_BODIES } from './price-rule-admin.dto';

/** Price rules (promotions, channel and special prices, flash sales) for pricing managers (role in the spec), relayed to pricing. */
@ApiTags('admin: price rules')
@Controller('admin/price-rules')
export class PriceRuleAdminController extends DefinitionAdminRoutes({ noun: 'price rule', plural: 'price rules', upstreamPath: 'internal/rules', bodies: PRICE_RULE_BODIES, roles: ['pricing-manager'] }) {
  constructor(upstreams: Upstreams) {
    super(upstreams);
  }
}

/** Coupon templates for pricing managers, relayed to pricing (the coupons buyers hold live in the member wallet). */
@ApiTags('admin: coupon templates')
@Controller('admin/coupon-templates')
export class CouponTemplateAdminController extends DefinitionAdminRoutes({
  noun: 'coupon template',
  plural: 'coupon templates',
  upstreamPath: 'internal/coupon-templates',
  bodies: COUPON_TEMPLATE_BODIES,
  roles: ['pricing-manager'],
}) {
  constructor(upstreams: Upstreams) {
    super(upstreams);
  }
}
