import { IsChannelCode, IsId, IsUtcTimestamp } from '@omni/contracts';

/** Confirm or Cancel of a quote-lock branch. */
export class QuoteLockBranchDto {
  /** Global transaction id (the order id for order sagas). */
  @IsId()
  gid: string;

  /** Branch id within the global transaction. */
  @IsId()
  branchId: string;

  /** The quote the branch locks. */
  @IsId()
  quoteId: string;

  /** The asking channel; must be the quote's. */
  @IsChannelCode()
  channel: string;
}

/** Try of a quote-lock branch. */
export class QuoteLockTryDto extends QuoteLockBranchDto {
  /** The order's payment deadline: the quoted prices hold until then; a later Try is refused. */
  @IsUtcTimestamp()
  deadline: string;
}
