import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { requiredIdempotencyKey } from '@omni/platform';
import type { Response } from 'express';
import { ChannelAuth, ChannelAuthWithMember, CurrentChannel, CurrentMember } from '../auth/auth.decorators';
import type { ChannelPrincipal, MemberPrincipal } from '../auth/principal';
import { ErrorBodyView } from '../docs/error-body.view';
import { ApiPlaceOrderResponses } from './order.docs';
import { ConfirmPickupDto, OrderIdParamDto, PlaceOrderDto, ReceiveReturnDto } from './order.dto';
import { OrderGateway } from './order.gateway';
import { OrderView } from './order.view';

/** Orders of the caller's channel: place, read, cancel; pickups and returns at the caller's store. */
@ApiTags('orders')
@ChannelAuth()
@ApiNotFoundResponse({ description: 'No such order', type: ErrorBodyView })
@Controller('orders')
export class OrderController {
  constructor(private readonly orders: OrderGateway) {}

  /** Places an order on the channel at the channel's prices; repeats with the same Idempotency-Key place it once. */
  @Post()
  @ApiPlaceOrderResponses()
  @ChannelAuthWithMember()
  @ApiOperation({ summary: 'Place an order (as the signed-in member with buyer.anonymous false)' })
  @ApiHeader({ name: 'idempotency-key', required: true, description: "8-128 characters; a retry with the same key gets that order's decision, never a second order" })
  async place(
    @CurrentChannel() channel: ChannelPrincipal,
    @CurrentMember() member: MemberPrincipal | undefined,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: PlaceOrderDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const answer = await this.orders.place(channel, member, body, requiredIdempotencyKey(key));
    res.status(answer.status);
    return answer.body;
  }

  /** The order's status, lines and payment state. */
  @Get(':id')
  @ApiOperation({ summary: 'Order status' })
  @ApiOkResponse({ description: "The order service's view of the order", type: OrderView })
  get(@CurrentChannel() channel: ChannelPrincipal, @Param() params: OrderIdParamDto): Promise<unknown> {
    return this.orders.get(channel, params.id);
  }

  /** Cancels an order that is not paid yet; its stock is released. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an unpaid order' })
  @ApiOkResponse({ description: 'The cancelled order', type: OrderView })
  @ApiConflictResponse({ description: 'The order can no longer be cancelled', type: ErrorBodyView })
  cancel(@CurrentChannel() channel: ChannelPrincipal, @Param() params: OrderIdParamDto): Promise<unknown> {
    return this.orders.cancel(channel, params.id);
  }

  /** Confirms that the buyer collected a pickup order at the key's store, by the code they show. */
  @Post(':id/pickup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a store pickup by code (store keys only)' })
  @ApiOkResponse({ description: 'The picked-up order', type: OrderView })
  @ApiConflictResponse({ description: 'Wrong code, or not ready for pickup', type: ErrorBodyView })
  confirmPickup(@CurrentChannel() channel: ChannelPrincipal, @Param() params: OrderIdParamDto, @Body() body: ConfirmPickupDto): Promise<unknown> {
    return this.orders.confirmPickup(channel, params.id, body);
  }

  /** Records units of an order line handed back at the key's store (store keys only); one return slip, one Idempotency-Key. */
  @Post(':id/returns')
  @ApiOperation({ summary: 'Receive a return at the store (store keys only)' })
  @ApiHeader({ name: 'idempotency-key', required: true, description: '8-128 characters, one per return slip; a retry with the same key returns the first result' })
  @ApiCreatedResponse({ description: 'The return with its refund' })
  @ApiConflictResponse({ description: 'The units cannot be returned', type: ErrorBodyView })
  async receiveReturn(
    @CurrentChannel() channel: ChannelPrincipal,
    @Param() params: OrderIdParamDto,
    @Body() body: ReceiveReturnDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const answer = await this.orders.receiveReturn(channel, params.id, body, key);
    res.status(answer.status);
    return answer.body;
  }
}
