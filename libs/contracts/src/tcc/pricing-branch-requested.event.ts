import { IsIn, IsOptional, Matches } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsUtcTimestamp } from '../core/validators';
import { TCC_OPS, TccOpName } from './tcc-branch.value';

/** The saga coordinator asks pricing to run one phase of its quote-lock branch (Try locks the quote the buyer saw). */
export class PricingBranchRequestedEvent extends EventPayloadBase {
  /** Global transaction id (the order id for order sagas). */
  @IsId()
  gid: string;

  /** Pricing branch id within the global transaction. */
  @IsId()
  branchId: string;

  /** 'try' | 'confirm' | 'cancel'. */
  @IsIn(TCC_OPS, { message: `$property must be one of ${TCC_OPS.join(', ')}` })
  op: TccOpName;

  /** The buyer pays the quoted prices if the order is paid before this instant; a later Try is refused. */
  @IsUtcTimestamp()
  deadline: string;

  /** Channel the order came from; must be the channel the quote was made for. */
  @IsChannelCode()
  channel: string;

  /** The quote to lock (sent with every phase, so a Confirm or Cancel names what it settles). */
  @IsId()
  quoteId: string;

  /** Logical topic to reply on (default 'tcc-branch-replied'). */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]*$/, { message: '$property must be a kebab-case topic name' })
  replyTo?: string;
}

/** pricing-branch-requested: keyed by gid so one saga's phases stay in order. */
export const PRICING_BRANCH_REQUESTED = defineEvent<PricingBranchRequestedEvent>({
  topic: 'pricing-branch-requested',
  type: 'com.omniretail.order.pricing-branch-requested.v1',
  version: 1,
  source: 'order',
  payload: PricingBranchRequestedEvent,
  key: (payload) => payload.gid,
  partitions: 6,
  summary: 'The order saga asks pricing to Try (lock the quote and its flash-sale units), Confirm or Cancel its quote-lock branch.',
});
