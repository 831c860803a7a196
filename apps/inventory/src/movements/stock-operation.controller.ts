import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { IsId } from '@omni/contracts';
import { optionalIdempotencyKey } from '@omni/platform';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AdjustmentDto, ReceiptDto, ReturnDto, StocktakeDto, TransferDto } from './stock-operation.dto';
import type { OperationOutcome, StockOperationResult } from './stock-operation.runner';
import { StockOperationsService } from './stock-operations.service';
import { LevelsQueryDto, LevelView, MovementPage, MovementsQueryDto } from './stock-query.dto';
import { StockQueryService } from './stock-query.service';
import { TransferService } from './transfer.service';

/** Route params naming one transfer. */
export class TransferIdParamDto {
  @IsId()
  id: string;
}

/** Header telling a client its request was a repeat answered from the idempotency log. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

function answer<X>(res: Response, outcome: OperationOutcome<X>): StockOperationResult<X> {
  res.setHeader(REPLAYED_HEADER, String(outcome.replayed));
  return outcome.result;
}

/** Internal HTTP API of stock documents; every write takes an Idempotency-Key header (or a documentId). */
@Controller('internal/stock')
export class StockOperationController {
  constructor(
    private readonly operations: StockOperationsService,
    private readonly transfers: TransferService,
    private readonly queries: StockQueryService,
    private readonly dataSource: DataSource,
  ) {}

  /** Levels per location × owner of a SKU and/or at a location. */
  @Get('levels')
  levels(@Query() query: LevelsQueryDto): Promise<LevelView[]> {
    return this.queries.levels(query.sku, query.locationId);
  }

  /** One SKU's movement ledger, oldest first, paged by seq. */
  @Get('movements')
  movements(@Query() query: MovementsQueryDto): Promise<MovementPage> {
    return this.queries.movements(query.sku, query.locationId, query.after, query.limit);
  }

  /** Goods received at locations. */
  @Post('receipts')
  @HttpCode(201)
  async receipts(@Body() body: ReceiptDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.operations.receive(body, optionalIdempotencyKey(key)));
  }

  /** Returned goods restocked at a location. */
  @Post('returns')
  @HttpCode(201)
  async returns(@Body() body: ReturnDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.operations.restock(body, optionalIdempotencyKey(key)));
  }

  /** Signed corrections with a reason code. */
  @Post('adjustments')
  @HttpCode(201)
  async adjustments(@Body() body: AdjustmentDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.operations.adjust(body, optionalIdempotencyKey(key)));
  }

  /** Counted quantities; variances become movements. */
  @Post('stocktakes')
  @HttpCode(201)
  async stocktakes(@Body() body: StocktakeDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.operations.stocktake(body, optionalIdempotencyKey(key)));
  }

  /** Stock sent from one location to another (optionally in transit). */
  @Post('transfers')
  @HttpCode(201)
  async transfer(@Body() body: TransferDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.transfers.transfer(body, optionalIdempotencyKey(key)));
  }

  /** Arrival of an in-transit transfer; idempotent by transfer id. */
  @Post('transfers/:id/receive')
  @HttpCode(201)
  async receiveTransfer(@Param() params: TransferIdParamDto, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.transfers.receive(params.id));
  }

  /** One transfer with its lines and status. */
  @Get('transfers/:id')
  getTransfer(@Param() params: TransferIdParamDto) {
    return this.transfers.get(this.dataSource.manager, params.id);
  }
}
