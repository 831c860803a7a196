import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ListReconciliationsQueryDto, RunReconciliationDto, StatementIdParamDto } from './reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';
import type { StatementSummary, StatementView } from './reconciliation.store';

/** Internal staff API (reached through the gateway): run and read settlement reconciliations. */
@Controller('internal')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  /** Reconciles one business day now; 201 with the statement. */
  @Post('platforms/:platform/reconciliations')
  run(@Param('platform') platform: string, @Body() body: RunReconciliationDto): Promise<StatementView> {
    return this.reconciliation.run(platform, body.day);
  }

  /** The platform's statements, newest first. */
  @Get('platforms/:platform/reconciliations')
  list(@Param('platform') platform: string, @Query() query: ListReconciliationsQueryDto): Promise<StatementSummary[]> {
    return this.reconciliation.list(platform, query.limit ?? 30);
  }

  /** One statement with every line. */
  @Get('reconciliations/:id')
  get(@Param() params: StatementIdParamDto): Promise<StatementView> {
    return this.reconciliation.get(params.id);
  }
}
