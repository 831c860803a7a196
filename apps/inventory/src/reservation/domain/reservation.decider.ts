import { AtpBasis, atpBasis, ChannelAllocationRule, ruleFor } from '../../allocation/atp.calculator';

/** A requested line of a Try: a SKU, a quantity and a location or 'any'. */
export interface TryLine {
  lineNo: number;
  sku: string;
  quantity: number;
  locationId: string;
}

/** Location value meaning "wherever it is available". */
export const ANY_LOCATION = 'any';

/** One SKU × location × owner level, as seen under the SKU lock. */
export interface StockPosition {
  locationId: string;
  ownerId: string;
  ownerType: 'retailer' | 'consignor';
  open: boolean;
  onHand: number;
  reserved: number;
}

/** What the decider needs to know about a SKU; an absent SKU is unknown. */
export interface SkuSnapshot {
  sku: string;
  levels: StockPosition[];
  rules: ChannelAllocationRule[];
}

/** Why a line was refused. SOLD_OUT_GATE comes from the Redis gate, the rest from Postgres. */
export type LineReasonCode =
  | 'INSUFFICIENT_STOCK'
  | 'CHANNEL_QUOTA_EXHAUSTED'
  | 'SAFETY_STOCK'
  | 'UNKNOWN_SKU'
  | 'LOCATION_CLOSED'
  | 'SOLD_OUT_GATE';

/** Reasons that concern the whole branch rather than one line (reported with line -1). */
export type BranchReasonCode = 'DEADLINE_PASSED' | 'BRANCH_CANCELLED' | 'BRANCH_REJECTED' | 'BRANCH_NOT_TRIED' | 'BRANCH_CONFIRMED';

/** A refused line (or branch, line -1) with its reason. */
export interface LineReason {
  line: number;
  code: LineReasonCode | BranchReasonCode;
  message: string;
}

/** Units of one line held at one location × owner; `quotaUnits` of them came from a dedicated quota. */
export interface ReservationPick {
  lineNo: number;
  sku: string;
  locationId: string;
  ownerId: string;
  ownerType: 'retailer' | 'consignor';
  quantity: number;
  quotaUnits: number;
}

/** All-or-nothing result of a Try: every line placed, or the reasons of every refused line. */
export type TryDecision = { accepted: true; picks: ReservationPick[] } | { accepted: false; reasons: LineReason[] };

function basisFor(snapshot: SkuSnapshot): AtpBasis {
  const perLocation = new Map<string, { locationId: string; open: boolean; onHand: number; reserved: number }>();
  for (const p of snapshot.levels) {
    const e = perLocation.get(p.locationId) ?? { locationId: p.locationId, open: p.open, onHand: 0, reserved: 0 };
    e.onHand += p.onHand;
    e.reserved += p.reserved;
    perLocation.set(p.locationId, e);
  }
  return atpBasis([...perLocation.values()], snapshot.rules);
}

/**
 * Decides a Try for `channel` over `lines`. Lines are placed in order against a working copy, so
 * several lines of one SKU compete with each other as they would with other orders. A dedicated
 * channel needs quota; a shared one needs the pool minus its safety stock; both need free units at
 * open locations. 'any' takes the locations with most free units first (splitting if needed), and
 * within a location the owners with most free units first (consigned stock sells like own stock).
 */
export function decideTry(channel: string, lines: readonly TryLine[], snapshots: ReadonlyMap<string, SkuSnapshot>): TryDecision {
  const working = new Map<string, SkuSnapshot>();
  for (const [sku, s] of snapshots) {
    working.set(sku, { sku, levels: s.levels.map((l) => ({ ...l })), rules: s.rules.map((r) => ({ ...r })) });
  }
  const picks: ReservationPick[] = [];
  const reasons: LineReason[] = [];
  for (const line of lines) {
    const result = placeLine(channel, line, working.get(line.sku));
    if ('code' in result) reasons.push(result);
    else picks.push(...result);
  }
  return reasons.length > 0 ? { accepted: false, reasons } : { accepted: true, picks };
}

function placeLine(channel: string, line: TryLine, snapshot: SkuSnapshot | undefined): ReservationPick[] | LineReason {
  const refuse = (code: LineReasonCode, message: string): LineReason => ({ line: line.lineNo, code, message });
  if (!snapshot) return refuse('UNKNOWN_SKU', `SKU ${line.sku} is not stocked`);
  const basis = basisFor(snapshot);
  const rule = ruleFor(basis.rules, channel);
  const q = line.quantity;

  let candidates = snapshot.levels.filter((l) => l.open && l.onHand - l.reserved > 0);
  if (line.locationId !== ANY_LOCATION) {
    const here = snapshot.levels.filter((l) => l.locationId === line.locationId);
    if (here.length > 0 && here.every((l) => !l.open)) return refuse('LOCATION_CLOSED', `location ${line.locationId} is closed`);
    candidates = candidates.filter((l) => l.locationId === line.locationId);
  }
  const reachable = candidates.reduce((sum, l) => sum + (l.onHand - l.reserved), 0);
  if (reachable < q) return refuse('INSUFFICIENT_STOCK', `${line.sku}: ${reachable} free where asked, ${q} requested`);
  if (rule.mode === 'dedicated') {
    if (rule.quotaRemaining < q) {
      return refuse('CHANNEL_QUOTA_EXHAUSTED', `${line.sku}: channel ${channel} has ${rule.quotaRemaining} of its quota left, ${q} requested`);
    }
  } else if (basis.sharedPool - rule.safetyStock < q) {
    if (basis.sharedPool >= q) {
      return refuse('SAFETY_STOCK', `${line.sku}: ${rule.safetyStock} units are held back from channel ${channel}`);
    }
    return refuse('INSUFFICIENT_STOCK', `${line.sku}: ${basis.sharedPool} units in the shared pool, ${q} requested`);
  }

  // Most free units per location first, then per owner; ids break ties so the choice is deterministic.
  const freeAt = new Map<string, number>();
  for (const c of candidates) freeAt.set(c.locationId, (freeAt.get(c.locationId) ?? 0) + c.onHand - c.reserved);
  const ordered = [...candidates].sort(
    (a, b) =>
      freeAt.get(b.locationId)! - freeAt.get(a.locationId)! ||
      a.locationId.localeCompare(b.locationId) ||
      b.onHand - b.reserved - (a.onHand - a.reserved) ||
      a.ownerId.localeCompare(b.ownerId),
  );
  const picks: ReservationPick[] = [];
  let left = q;
  for (const level of ordered) {
    if (left === 0) break;
    const take = Math.min(left, level.onHand - level.reserved);
    level.reserved += take;
    left -= take;
    picks.push({
      lineNo: line.lineNo,
      sku: line.sku,
      locationId: level.locationId,
      ownerId: level.ownerId,
      ownerType: level.ownerType,
      quantity: take,
      quotaUnits: rule.mode === 'dedicated' ? take : 0,
    });
  }
  if (rule.mode === 'dedicated') {
    const own = snapshot.rules.find((r) => r.channel === channel);
    if (own) own.quotaRemaining -= q;
  }
  return picks;
}
