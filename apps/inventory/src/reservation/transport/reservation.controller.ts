import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { DomainError, DomainErrorType } from '@omni/platform';
import { AtpView } from '../../stock/stock-reader';
import { AtpParamsDto, BranchRequestDto, TryRequestDto } from './reservation.dto';
import { ReservationService } from '../reservation.service';
import { AtpReader } from '../persistence/atp.reader';
import { BranchReply } from '../domain/reservation.types';

/** Internal HTTP API of the reservation participant for store systems (POS); same semantics as the Kafka commands. */
@Controller('internal/reservations')
export class ReservationController {
  constructor(private readonly reservations: ReservationService) {}

  /** Reserve every line or none; 200 with outcome and per-line reasons either way. */
  @Post('try')
  @HttpCode(200)
  try(@Body() body: TryRequestDto): Promise<BranchReply> {
    return this.reservations.try(body);
  }

  /** Deduct a tried reservation (the sale is final). */
  @Post('confirm')
  @HttpCode(200)
  confirm(@Body() body: BranchRequestDto): Promise<BranchReply> {
    return this.reservations.confirm(body);
  }

  /** Release a reservation; a Cancel without a Try is recorded (empty rollback). */
  @Post('cancel')
  @HttpCode(200)
  cancel(@Body() body: BranchRequestDto): Promise<BranchReply> {
    return this.reservations.cancel(body);
  }
}

/** ATP reads straight from Postgres: per SKU × channel and per SKU × channel × location. */
@Controller('internal/atp')
export class AtpController {
  constructor(private readonly atp: AtpReader) {}

  /** ATP of a SKU per channel, and per channel at each location. */
  @Get(':sku')
  async get(@Param() params: AtpParamsDto): Promise<AtpView> {
    const view = await this.atp.view(params.sku);
    if (!view) throw new DomainError(DomainErrorType.NotFound, 'UNKNOWN_SKU', `SKU ${params.sku} is not stocked`);
    return view;
  }
}
