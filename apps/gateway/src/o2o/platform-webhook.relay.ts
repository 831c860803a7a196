import { Inject, Injectable } from '@nestjs/common';
import { DomainError, DomainErrorType, isServiceCredentialRefusal, SERVICE_CONFIG, ServiceCredentials } from '@omni/platform';
import type { GatewayEnv } from '../config/gateway.config';

/** Headers a platform signs its webhooks with (both platform shapes), passed on untouched. */
export const PLATFORM_SIGNATURE_HEADERS = ['x-app-key', 'x-timestamp', 'x-sign', 'x-mkt-appkey', 'x-mkt-timestamp', 'x-mkt-sign'] as const;
/** The connector answers a new order once it is decided and the platform told: allow it that long. */
const WEBHOOK_TIMEOUT_MS = 30_000;

/** What the connector answered a webhook. */
export interface RelayedAnswer {
  status: number;
  body: unknown;
}

/**
 * Passes a platform's webhook to the O2O connector byte for byte: the platform signs the exact body,
 * so it is never parsed and re-serialised on the way, and its signature headers go along. The
 * connector checks the signature and answers; its status (401 forged or stale, 503 try again) is the
 * platform's answer. The gateway's own service credential admits the relay to the connector; its
 * refusal is the gateway's misconfiguration (502), never the platform's signature.
 */
@Injectable()
export class PlatformWebhookRelay {
  private readonly baseUrl: string;

  constructor(
    @Inject(SERVICE_CONFIG) env: GatewayEnv,
    private readonly credentials: ServiceCredentials,
  ) {
    this.baseUrl = env.O2O_CONNECTOR_URL.replace(/\/$/, '');
  }

  /** Relays one webhook. */
  async relay(platform: string, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<RelayedAnswer> {
    const forwarded: Record<string, string> = { 'content-type': String(headers['content-type'] ?? 'application/json'), ...this.credentials.headerFor('o2o-connector') };
    for (const name of PLATFORM_SIGNATURE_HEADERS) {
      const value = headers[name];
      if (typeof value === 'string') forwarded[name] = value;
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/webhooks/${encodeURIComponent(platform)}`, { method: 'POST', headers: forwarded, body: rawBody, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    } catch {
      throw new DomainError(DomainErrorType.Unavailable, 'UPSTREAM_UNAVAILABLE', 'the O2O connector did not answer; deliver the webhook again');
    }
    const text = await response.text().catch(() => '');
    let body: unknown = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { code: 'UPSTREAM_BAD_RESPONSE', message: 'the O2O connector answered a body that is not JSON' };
    }
    if (isServiceCredentialRefusal(response.status, body)) {
      return { status: 502, body: { code: 'O2O_CONNECTOR_ERROR', message: "the O2O connector refused the gateway's service credential" } };
    }
    return { status: response.status, body };
  }
}
