/** Units of a SKU that belong to one owner. */
export interface OwnerUnits {
  ownerId: string;
  quantity: number;
}

/** Whom a restock credits: the lines to book, and the units no deduction of the order accounts for. */
export interface ReturnCreditPlan {
  credits: OwnerUnits[];
  /** Units left over once every deducted owner got back what it lost (the caller credits a fallback owner). */
  uncovered: number;
}

/** Adds up units per owner, keeping the order in which owners first appear. */
function byOwner(units: readonly OwnerUnits[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const u of units) totals.set(u.ownerId, (totals.get(u.ownerId) ?? 0) + u.quantity);
  return totals;
}

/**
 * Which owners get returned units of a SKU back: the owners whose stock the order's deductions
 * took (consigned stock goes back to its consignor), in deduction order, each up to what it lost
 * minus what earlier returns of the same order already gave it back. Over every return of the
 * order, each owner gets back at most what was deducted from it.
 */
export function planReturnCredit(deducted: readonly OwnerUnits[], credited: readonly OwnerUnits[], quantity: number): ReturnCreditPlan {
  if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError('quantity must be a positive integer');
  const given = byOwner(credited);
  const credits: OwnerUnits[] = [];
  let left = quantity;
  for (const [ownerId, lost] of byOwner(deducted)) {
    if (left === 0) break;
    const open = lost - (given.get(ownerId) ?? 0);
    if (open <= 0) continue;
    const units = Math.min(open, left);
    credits.push({ ownerId, quantity: units });
    left -= units;
  }
  return { credits, uncovered: left };
}

/** `credits` with `units` more for `ownerId` (merged into its line when it already has one). */
export function addCredit(credits: readonly OwnerUnits[], ownerId: string, units: number): OwnerUnits[] {
  if (units <= 0) return [...credits];
  const existing = credits.some((c) => c.ownerId === ownerId);
  if (!existing) return [...credits, { ownerId, quantity: units }];
  return credits.map((c) => (c.ownerId === ownerId ? { ownerId, quantity: c.quantity + units } : c));
}
