/** A code was sent: when it expires and when the phone may ask again. */
export interface OtpRequestedView {
  challengeId: string;
  expiresAt: string;
  resendAfterSeconds: number;
}

/** A signed-in member's session: who, and the refresh token (shown once; only its hash is kept). */
export interface SessionView {
  memberId: string;
  channel: string;
  refreshToken: string;
  refreshExpiresAt: string;
  /** True when this sign-in registered the member. */
  registered?: boolean;
}

/** The member a store QR login names, as a till may show it. */
export interface StoreLoginMemberView {
  memberId: string;
  tier: string;
  /** The first character of the name, or the masked phone; never the full name or number. */
  displayName: string | null;
}
