import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsUtcTimestamp } from '../core/validators';
import { InventoryBranchLine, TCC_OPS, TccOpName } from './tcc-branch.value';

/** The saga coordinator asks inventory to run one phase (Try, Confirm or Cancel) of a branch. */
export class InventoryBranchRequestedEvent extends EventPayloadBase {
  /** Global transaction id (the order id for order sagas). */
  @IsId()
  gid: string;

  /** Inventory branch id within the global transaction. */
  @IsId()
  branchId: string;

  /** 'try' | 'confirm' | 'cancel'. */
  @IsIn(TCC_OPS, { message: `$property must be one of ${TCC_OPS.join(', ')}` })
  op: TccOpName;

  /** After this instant a Try is refused, and an unconfirmed reservation is released (plus grace). */
  @IsUtcTimestamp()
  deadline: string;

  /** Channel the order came from; decides quota and safety stock. */
  @IsChannelCode()
  channel: string;

  /** Lines to reserve: required for 'try', ignored otherwise. */
  @ValidateIf((o: InventoryBranchRequestedEvent) => o.op === 'try' || o.lines !== undefined)
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must contain at least 1 line' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 lines' })
  @ValidateNested({ each: true })
  @Type(() => InventoryBranchLine)
  lines?: InventoryBranchLine[];

  /** Logical topic to reply on (default 'tcc-branch-replied'). */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]*$/, { message: '$property must be a kebab-case topic name' })
  replyTo?: string;
}

/** inventory-branch-requested: keyed by gid so one saga's phases stay in order. */
export const INVENTORY_BRANCH_REQUESTED = defineEvent<InventoryBranchRequestedEvent>({
  topic: 'inventory-branch-requested',
  type: 'com.omniretail.order.inventory-branch-requested.v1',
  version: 1,
  source: 'order',
  payload: InventoryBranchRequestedEvent,
  key: (payload) => payload.gid,
  partitions: 6,
  summary: 'The order saga asks inventory to Try, Confirm or Cancel its branch of a global transaction.',
});
