import { Controller, Get, Param, Query } from '@nestjs/common';
import { MemberParamsDto } from '../members/member.dto';
import { PointsHistoryQueryDto } from './points.dto';
import { PointsHistoryService, type PointsHistoryView } from './points-history.service';

/** Internal HTTP API of a member's points history, paged. */
@Controller('internal/members/:memberId/points/history')
export class PointsHistoryController {
  constructor(private readonly history: PointsHistoryService) {}

  /** One page of the ledger, newest first. */
  @Get()
  page(@Param() params: MemberParamsDto, @Query() query: PointsHistoryQueryDto): Promise<PointsHistoryView> {
    return this.history.page(params.memberId, query.limit ?? 20, query.before);
  }
}
