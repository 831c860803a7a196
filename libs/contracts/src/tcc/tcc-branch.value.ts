import { IsInt, IsString, Matches, MaxLength, Min } from 'class-validator';
import { IsQuantity, IsSkuCode } from '../core/validators';

/** Phases of a TCC branch. */
export const TCC_OPS = ['try', 'confirm', 'cancel'] as const;
/** A TCC phase. */
export type TccOpName = (typeof TCC_OPS)[number];

/** How a participant answers a phase: success, failure (business, final) or retry (transient). */
export const TCC_OUTCOMES = ['success', 'failure', 'retry'] as const;
/** A participant's answer. */
export type TccOutcome = (typeof TCC_OUTCOMES)[number];

/** One line to reserve: SKU × quantity at a location or 'any'. */
export class InventoryBranchLine {
  /** SKU code. */
  @IsSkuCode()
  sku: string;

  /** Units, at least 1. */
  @IsQuantity()
  quantity: number;

  /** A location UUID, or 'any' to let inventory pick (most available first, possibly split). */
  @IsString({ message: "$property must be a location UUID or 'any'" })
  @Matches(/^(any|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/, {
    message: "$property must be a location UUID or 'any'",
  })
  locationId: string;
}

/** Why a participant refused a line (line -1: the whole branch). */
export class TccBranchReason {
  /** Index of the refused line in the request, or -1 for the branch as a whole. */
  @IsInt({ message: '$property must be an integer >= -1' })
  @Min(-1, { message: '$property must be an integer >= -1' })
  line: number;

  /** Machine-readable reason, e.g. INSUFFICIENT_STOCK, SAFETY_STOCK, BRANCH_CANCELLED. */
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: '$property must be an UPPER_SNAKE code' })
  code: string;

  /** Human-readable explanation. */
  @IsString({ message: '$property must be a string' })
  @MaxLength(500, { message: '$property must be at most 500 characters' })
  message: string;
}
