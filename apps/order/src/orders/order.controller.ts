import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { requiredIdempotencyKey } from '@omni/platform';
import type { Response } from 'express';
import { CompleteOrderDto, ShipOrderDto } from '../fulfilment/fulfilment.dto';
import { FulfilmentService } from '../fulfilment/fulfilment.service';
import { CreateReturnDto, DisposeReturnDto, ReturnParamsDto } from '../returns/returns.dto';
import { ReturnsService, ReturnView } from '../returns/returns.service';
import { ChannelCancelService } from './channel-cancel.service';
import { ChannelCancelDto, CreateOrderDto, OrderIdParamDto } from './order.dto';
import { OrderService } from './order.service';
import type { OrderView } from './order.types';

/** Orders API (called by the gateway): create, read, cancel, fulfilment steps and returns. */
@Controller('orders')
export class OrderController {
  constructor(
    private readonly orders: OrderService,
    private readonly fulfilment: FulfilmentService,
    private readonly returns: ReturnsService,
    private readonly channelCancel: ChannelCancelService,
  ) {}

  /** 201 with the decision (reserved + payment deadline, or rejected + reasons per line), 202 while pending, 409 SOLD_OUT before any order is written when inventory has no ATP left on the channel for a shipped line's SKU. */
  @Post()
  async create(@Body() body: CreateOrderDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response): Promise<OrderView> {
    const result = await this.orders.create(body, requiredIdempotencyKey(key));
    res.status(result.httpStatus);
    return result.order;
  }

  /** The order with its lines, routing plan and saga status. */
  @Get(':id')
  get(@Param() params: OrderIdParamDto): Promise<OrderView> {
    return this.orders.get(params.id);
  }

  /** The buyer cancels before payment. */
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param() params: OrderIdParamDto): Promise<OrderView> {
    return this.orders.cancelByBuyer(params.id);
  }

  /** The order's channel (a delivery platform) cancelled it: before it left the store, paid or not. */
  @Post(':id/channel-cancel')
  @HttpCode(200)
  cancelByChannel(@Param() params: OrderIdParamDto, @Body() _body: ChannelCancelDto): Promise<OrderView> {
    return this.channelCancel.cancel(params.id);
  }

  /** paid → picking. */
  @Post(':id/picking')
  @HttpCode(200)
  picking(@Param() params: OrderIdParamDto): Promise<OrderView> {
    return this.fulfilment.startPicking(params.id);
  }

  /** picking → ready_for_pickup (pickup orders). */
  @Post(':id/ready-for-pickup')
  @HttpCode(200)
  readyForPickup(@Param() params: OrderIdParamDto): Promise<OrderView> {
    return this.fulfilment.readyForPickup(params.id);
  }

  /** picking → shipped. */
  @Post(':id/ship')
  @HttpCode(200)
  ship(@Param() params: OrderIdParamDto, @Body() body: ShipOrderDto): Promise<OrderView> {
    return this.fulfilment.ship(params.id, body.carrier, body.trackingNumber);
  }

  /** → completed. */
  @Post(':id/complete')
  @HttpCode(200)
  complete(@Param() params: OrderIdParamDto, @Body() body: CompleteOrderDto): Promise<OrderView> {
    return this.fulfilment.complete(params.id, body.pickupCode);
  }

  /** Units of a line received back at a location, with their refund. */
  @Post(':id/returns')
  receiveReturn(@Param() params: OrderIdParamDto, @Body() body: CreateReturnDto, @Headers('idempotency-key') key: string | undefined): Promise<ReturnView> {
    return this.returns.receive(params.id, body, requiredIdempotencyKey(key));
  }

  /** restock | outlet | write-off. */
  @Post(':id/returns/:returnId/disposition')
  @HttpCode(200)
  dispose(@Param() params: ReturnParamsDto, @Body() body: DisposeReturnDto): Promise<ReturnView> {
    return this.returns.dispose(params.id, params.returnId, body.disposition);
  }
}
