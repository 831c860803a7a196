/** A member's points and the ledger's latest entries. */
export interface PointsView {
  memberId: string;
  balance: number;
  frozen: number;
  available: number;
  history: { kind: string; delta: number; ref: string; at: string }[];
  batches: { batchId: string; remaining: number; expiresAt: string }[];
}

/** What an earn did. */
export interface EarnView {
  memberId: string;
  orderId: string;
  points: number;
  balance: number;
  tier: string;
  /** False when the order had already earned (a repeat has no second effect). */
  applied: boolean;
}
