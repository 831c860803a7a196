import { IsIn, IsInt, Min } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsText } from '../core/validators';

/** What started a reconciliation run. */
export const RECONCILIATION_TRIGGERS = ['schedule', 'staff'] as const;

/** A platform's daily settlement statement disagreed with our orders or the agreed commission. */
export class O2oReconciliationMismatchEvent extends EventPayloadBase {
  /** The reconciliation statement (readable through the gateway's staff routes). */
  @IsId()
  statementId: string;

  /** The platform, by our channel code. */
  @IsChannelCode()
  platform: string;

  /** The platform's business day, YYYY-MM-DD. */
  @IsText(10)
  businessDay: string;

  /** Lines that matched. */
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must not be negative' })
  matched: number;

  /** Orders we accepted that the statement lacks. */
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must not be negative' })
  missing: number;

  /** Statement lines for no order of ours (or stated twice). */
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must not be negative' })
  extra: number;

  /** Lines whose gross, commission, net or currency differ from ours at the agreed rate. */
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must not be negative' })
  amountMismatched: number;

  /** 'schedule' or 'staff'. */
  @IsIn(RECONCILIATION_TRIGGERS, { message: `$property must be one of ${RECONCILIATION_TRIGGERS.join(', ')}` })
  trigger: (typeof RECONCILIATION_TRIGGERS)[number];
}

/** o2o-reconciliation-mismatch: keyed by platform. */
export const O2O_RECONCILIATION_MISMATCH = defineEvent<O2oReconciliationMismatchEvent>({
  topic: 'o2o-reconciliation-mismatch',
  type: 'com.omniretail.o2o-connector.o2o-reconciliation-mismatch.v1',
  version: 1,
  source: 'o2o-connector',
  payload: O2oReconciliationMismatchEvent,
  key: (payload) => payload.platform,
  partitions: 3,
  summary: "A delivery platform's or marketplace's daily settlement disagreed with our orders (missing, extra or mismatched lines).",
});
