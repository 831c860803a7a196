import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffAuth } from '../auth/auth.decorators';
import { ErrorBodyView } from '../docs/error-body.view';
import { segment } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { ORDER_SERVICE_DISPOSITION, ReturnDispositionDto, ReturnParamsDto } from './return-admin.dto';

/** What happens to returned goods, decided by stock operators at the store; relayed to the order service. */
@ApiTags('admin: returns')
@StaffAuth('stock-operator')
@Controller('admin/orders')
export class ReturnAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  /** Settles a received return once: restocked, sent to outlet, or written off. */
  @Post(':id/returns/:returnId/disposition')
  @HttpCode(200)
  @ApiOperation({ summary: 'Settle a received return (restocked, outlet or written off)' })
  @ApiOkResponse({ description: 'The return with its new status' })
  @ApiNotFoundResponse({ description: 'No such return of this order', type: ErrorBodyView })
  @ApiConflictResponse({ description: 'The return was settled already', type: ErrorBodyView })
  async dispose(@Param() params: ReturnParamsDto, @Body() body: ReturnDispositionDto): Promise<unknown> {
    const path = `orders/${segment(params.id)}/returns/${segment(params.returnId)}/disposition`;
    return (await this.upstreams.order.call({ method: 'POST', path, body: { disposition: ORDER_SERVICE_DISPOSITION[body.disposition] } })).body;
  }
}
