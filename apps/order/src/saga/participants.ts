import {
  INVENTORY_BRANCH_REQUESTED,
  InventoryBranchLine,
  InventoryBranchRequestedEvent,
  MEMBER_BRANCH_REQUESTED,
  MemberBranchRequestedEvent,
  PRICING_BRANCH_REQUESTED,
  PricingBranchRequestedEvent,
} from '@omni/contracts';
import { BranchSpec, Clock, defineParticipant, TccCommand, TccParticipantDefinition } from '@omni/tcc';

/** Name of the inventory participant in branch rows. */
export const INVENTORY_PARTICIPANT = 'inventory';

/** Name of the pricing (quote lock) participant in branch rows; pricing replies under the same name. */
export const PRICING_PARTICIPANT = 'pricing';

/** Name of the member participant (coupon, points and gift-card freeze); member replies under the same name. */
export const MEMBER_PARTICIPANT = 'member';

/** Data an inventory branch carries: the channel and the lines with their planned locations. */
export interface InventoryBranchData {
  channel: string;
  lines: InventoryBranchLine[];
  /** Order line number of each Try line (Try reasons name Try line indexes). */
  lineNos: number[];
  [key: string]: unknown;
}

/** Data a pricing branch carries: the quote the buyer saw and the channel it must belong to. */
export interface PricingBranchData {
  channel: string;
  quoteId: string;
  [key: string]: unknown;
}

/** Data a member branch carries: what the order asks member to freeze in the buyer's wallet. */
export interface MemberBranchData {
  channel: string;
  memberId: string;
  /** Wallet coupons the order uses. */
  couponIds: string[];
  points: number;
  giftCardId?: string;
  /** Minor units from the gift card; 0 for none. */
  giftCardAmount: number;
  [key: string]: unknown;
}

/**
 * The branches an order's saga begins with: inventory always (reserve the lines at their planned
 * locations), pricing when the order names a quote (lock it, and its flash-sale units, until the
 * payment deadline), and member when the buyer spends wallet coupons, points or a gift card
 * (freeze them until the payment deadline). Each branch gets its own id from `newId`.
 */
export function orderSagaBranches(inventory: InventoryBranchData, quote: PricingBranchData | null, newId: () => string, member: MemberBranchData | null = null): BranchSpec[] {
  const branches: BranchSpec[] = [{ branchId: newId(), participant: INVENTORY_PARTICIPANT, data: inventory }];
  if (quote) branches.push({ branchId: newId(), participant: PRICING_PARTICIPANT, data: quote });
  if (member) branches.push({ branchId: newId(), participant: MEMBER_PARTICIPANT, data: member });
  return branches;
}

/** Every participant of the order saga, as data: inventory, pricing (quote lock) and member (wallet freeze). */
export function orderSagaParticipants(clock: Clock): TccParticipantDefinition[] {
  /** What every branch command carries: the saga, the branch, the phase, the deadline and the channel. */
  const envelope = (c: TccCommand, channel: string) => ({
    schemaVersion: 1 as const,
    occurredAt: clock.now().toISOString(),
    gid: c.gid,
    branchId: c.branchId,
    op: c.op,
    deadline: c.deadline,
    channel,
  });
  const inventory = defineParticipant<InventoryBranchRequestedEvent>({
    name: INVENTORY_PARTICIPANT,
    contract: INVENTORY_BRANCH_REQUESTED,
    toPayload: (c: TccCommand) => {
      const data = c.data as InventoryBranchData;
      return { ...envelope(c, data.channel), ...(c.op === 'try' ? { lines: data.lines } : {}) };
    },
  });
  const pricing = defineParticipant<PricingBranchRequestedEvent>({
    name: PRICING_PARTICIPANT,
    contract: PRICING_BRANCH_REQUESTED,
    // Every phase names the quote: Confirm and Cancel say which lock they settle.
    toPayload: (c: TccCommand) => {
      const data = c.data as PricingBranchData;
      return { ...envelope(c, data.channel), quoteId: data.quoteId };
    },
  });
  const member = defineParticipant<MemberBranchRequestedEvent>({
    name: MEMBER_PARTICIPANT,
    contract: MEMBER_BRANCH_REQUESTED,
    // Every phase names what it settles, so member understands a Confirm or Cancel on its own.
    toPayload: (c: TccCommand) => {
      const data = c.data as MemberBranchData;
      return {
        ...envelope(c, data.channel),
        memberId: data.memberId,
        couponIds: [...data.couponIds],
        points: data.points,
        ...(data.giftCardId !== undefined ? { giftCardId: data.giftCardId } : {}),
        giftCardAmount: data.giftCardAmount,
      };
    },
  });
  return [inventory, pricing, member];
}
