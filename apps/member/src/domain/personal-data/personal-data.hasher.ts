import { createHmac } from 'node:crypto';

/** Phone numbers as members give them: an optional '+' and 6-20 digits once spaces and dashes are removed. */
export const PHONE_PATTERN = /^\+?[0-9]{6,20}$/;

/** The canonical form of a phone number (spaces, dashes, dots and parentheses removed), or undefined when it is not one. */
export function normalizePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s().-]/g, '');
  return PHONE_PATTERN.test(compact) ? compact : undefined;
}

/** The last four digits and the length, enough for a member to recognise their number on screen. */
export function maskPhone(phone: string): string {
  return `${'*'.repeat(Math.max(0, phone.length - 4))}${phone.slice(-4)}`;
}

/**
 * Keyed hashes of personal data (HMAC-SHA256 with a secret from config): a phone number is looked
 * up by its hash, so an index, a log line or an event never needs the number itself, and a leaked
 * table of hashes cannot be reversed by hashing every phone number without the secret.
 */
export class PersonalDataHasher {
  constructor(private readonly secret: string) {
    // A short secret makes the hash a lookup table away from the numbers it hides.
    if (secret.length < 32) throw new TypeError('the personal-data secret must be at least 32 characters');
  }

  /** The lookup hash of a normalized phone number. */
  phone(normalized: string): string {
    return this.keyed('phone', normalized);
  }

  /** The lookup hash of a gift card's code. */
  giftCardCode(code: string): string {
    return this.keyed('gift-card-code', code);
  }

  /** The stored hash of a gift card's PIN, bound to the card so equal PINs of two cards differ. */
  giftCardPin(cardId: string, pin: string): string {
    return this.keyed('gift-card-pin', `${cardId}\n${pin}`);
  }

  /** The hash of a channel account id (a marketplace buyer id or social open id is personal data too). */
  account(kind: string, accountId: string): string {
    return this.keyed(`account:${kind}`, accountId);
  }

  /** The stored hash of a one-time sign-in code, bound to its challenge. */
  otpCode(challengeId: string, code: string): string {
    return this.keyed('otp-code', `${challengeId}\n${code}`);
  }

  /** The stored hash of a refresh token (the token itself is only ever held by the client). */
  refreshToken(token: string): string {
    return this.keyed('refresh-token', token);
  }

  private keyed(purpose: string, value: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\n${value}`).digest('base64url');
  }
}
