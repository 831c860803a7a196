import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffAuth } from '../auth/auth.decorators';
import { ErrorBodyView } from '../docs/error-body.view';
import { OrderIdParamDto } from '../orders/order.dto';
import { segment } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { ShipOrderDto } from './fulfilment-admin.dto';

/**
 * Fulfilment steps taken by store and warehouse staff after payment, relayed to the order
 * service, which owns the lifecycle and refuses an illegal step with 409 ORDER_ILLEGAL_TRANSITION.
 * The buyer's side of a pickup (showing the code at the till) is POST /orders/:id/pickup.
 */
@ApiTags('admin: fulfilment')
@StaffAuth('stock-operator')
@Controller('admin/orders')
@ApiOkResponse({ description: 'The order in its new status' })
@ApiNotFoundResponse({ description: 'No such order', type: ErrorBodyView })
@ApiConflictResponse({ description: 'The order is not in a status this step follows', type: ErrorBodyView })
export class FulfilmentAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** paid → picking. */
  @Post(':id/picking')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start picking a paid order' })
  picking(@Param() params: OrderIdParamDto): Promise<unknown> {
    return this.step(params.id, 'picking');
  }

  /** picking → ready_for_pickup: the order service issues the pickup code and publishes order-ready-for-pickup. */
  @Post(':id/ready-for-pickup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a picked pickup order ready at its store (issues the pickup code)' })
  readyForPickup(@Param() params: OrderIdParamDto): Promise<unknown> {
    return this.step(params.id, 'ready-for-pickup');
  }

  /** picking → shipped, with the carrier and its tracking number. */
  @Post(':id/ship')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand a picked order to a carrier' })
  ship(@Param() params: OrderIdParamDto, @Body() body: ShipOrderDto): Promise<unknown> {
    return this.step(params.id, 'ship', { carrier: body.carrier, trackingNumber: body.trackingNumber });
  }

  /** shipped → completed (delivered); a pickup order is completed by the buyer's code instead. */
  @Post(':id/delivered')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a shipped order was delivered' })
  delivered(@Param() params: OrderIdParamDto): Promise<unknown> {
    return this.step(params.id, 'complete', {});
  }

  private async step(id: string, action: string, body?: Record<string, unknown>): Promise<unknown> {
    return (await this.upstreams.order.call({ method: 'POST', path: `orders/${segment(id)}/${action}`, body })).body;
  }
}
