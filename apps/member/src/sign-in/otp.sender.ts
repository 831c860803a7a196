import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DomainError, DomainErrorType } from '@omni/platform';

/** One code to deliver: the challenge it belongs to, the phone (for the sender only) and the code. */
export interface OtpMessage {
  readonly challengeId: string;
  readonly phone: string;
  readonly maskedPhone: string;
  readonly code: string;
  readonly expiresAt: Date;
}

/** Delivers sign-in codes to phones. Implementations never log the phone or the code. */
export interface OtpSender {
  /** Sends the code; throws when it cannot. */
  send(message: OtpMessage): Promise<void>;
}

/** Injection token of the OtpSender in force. */
export const OTP_SENDER = Symbol('OTP_SENDER');

/**
 * Development sink: appends one JSON line per code to a local file (git-ignored tmp/ by default)
 * with the challenge id, the masked phone and the code, so a developer or a test reads the code
 * there. Refused by the configuration in production.
 */
export class DevFileOtpSender implements OtpSender {
  private readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
  }

  /** Appends the line. */
  async send(message: OtpMessage): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const line = { challengeId: message.challengeId, to: message.maskedPhone, code: message.code, expiresAt: message.expiresAt.toISOString() };
    await appendFile(this.path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  }
}

/** No sender configured (production until an SMS gateway is wired): sign-in codes cannot be sent. */
export class NoOtpSender implements OtpSender {
  /** Always refuses with 503. */
  send(): Promise<void> {
    return Promise.reject(new DomainError(DomainErrorType.Unavailable, 'OTP_SENDER_NOT_CONFIGURED', 'Sign-in codes cannot be sent: no code sender is configured (MEMBER_OTP_SENDER)'));
  }
}
