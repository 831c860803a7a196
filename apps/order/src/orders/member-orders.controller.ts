import { Controller, Get, Query } from '@nestjs/common';
import { MemberOrdersQueryDto } from './order.dto';
import { MemberOrdersService, type MemberOrdersPage } from './member-orders.service';

/** Internal HTTP API listing a member's orders (the gateway's /me/orders and staff member pages call it). */
@Controller('orders')
export class MemberOrdersController {
  constructor(private readonly orders: MemberOrdersService) {}

  /** GET /orders?memberId=…&limit=…&before=…: one page, newest first. */
  @Get()
  list(@Query() query: MemberOrdersQueryDto): Promise<MemberOrdersPage> {
    return this.orders.page(query.memberId, query.limit ?? 20, query.before);
  }
}
