import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { CouponTemplateDefinition, PriceRuleDefinition } from '../domain';
import { optionalIdempotencyKey } from '@omni/platform';
import { DefinitionIdParamsDto } from './definition.dto';
import { DefinitionService } from './definition.service';
import { DefinitionVersionView, DefinitionView } from './definition.views';

/** Injection token of the price-rule store. */
export const PRICE_RULES = Symbol('PRICE_RULES');
/** Injection token of the coupon-template store. */
export const COUPON_TEMPLATES = Symbol('COUPON_TEMPLATES');

/**
 * The shared routes of a versioned definition store. Bodies are JSON definitions checked by the
 * pricing domain's validator (a 400 names each bad field), so no DTO class is bound to them.
 */
abstract class DefinitionRoutes<T extends PriceRuleDefinition | CouponTemplateDefinition> {
  protected constructor(private readonly store: DefinitionService<T>) {}

  /** Creates version 1. */
  @Post()
  create(@Body() body: unknown, @Headers('idempotency-key') key?: string): Promise<DefinitionView<T>> {
    return this.store.create(body, optionalIdempotencyKey(key));
  }

  /** Stores a new version. */
  @Put(':id')
  update(@Param() params: DefinitionIdParamsDto, @Body() body: unknown, @Headers('idempotency-key') key?: string): Promise<DefinitionView<T>> {
    return this.store.update(params.id, body, optionalIdempotencyKey(key));
  }

  /** Turns it on. */
  @Post(':id/enable')
  @HttpCode(200)
  enable(@Param() params: DefinitionIdParamsDto): Promise<DefinitionView<T>> {
    return this.store.setEnabled(params.id, true);
  }

  /** Turns it off. */
  @Post(':id/disable')
  @HttpCode(200)
  disable(@Param() params: DefinitionIdParamsDto): Promise<DefinitionView<T>> {
    return this.store.setEnabled(params.id, false);
  }

  /** Every definition, latest versions. */
  @Get()
  list(): Promise<DefinitionView<T>[]> {
    return this.store.list();
  }

  /** The latest version. */
  @Get(':id')
  get(@Param() params: DefinitionIdParamsDto): Promise<DefinitionView<T>> {
    return this.store.get(params.id);
  }

  /** Every version, newest first. */
  @Get(':id/versions')
  versions(@Param() params: DefinitionIdParamsDto): Promise<DefinitionVersionView<T>[]> {
    return this.store.versions(params.id);
  }
}

/** Price rules as data (ops console). */
@Controller('internal/rules')
export class PriceRuleController extends DefinitionRoutes<PriceRuleDefinition> {
  constructor(@Inject(PRICE_RULES) store: DefinitionService<PriceRuleDefinition>) {
    super(store);
  }
}

/** Coupon templates (instances live in the member wallet). */
@Controller('internal/coupon-templates')
export class CouponTemplateController extends DefinitionRoutes<CouponTemplateDefinition> {
  constructor(@Inject(COUPON_TEMPLATES) store: DefinitionService<CouponTemplateDefinition>) {
    super(store);
  }
}
