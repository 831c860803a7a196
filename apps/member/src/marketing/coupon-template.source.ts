import type { ServiceCredentials } from '@omni/platform';

/** The terms of a pricing coupon template that the wallet copies into each coupon it issues. */
export interface CouponTemplateTerms {
  templateId: string;
  code: string;
  /** Empty: every channel. */
  channels: string[];
  validFrom: Date;
  validTo: Date;
}

/** Where member reads pricing's coupon templates (pricing owns them). */
export interface CouponTemplateSource {
  /** The template's current terms, or null when it does not exist or is disabled. */
  terms(templateId: string): Promise<CouponTemplateTerms | null>;
}

interface TemplateView {
  enabled?: boolean;
  definition?: { id?: string; code?: string; channels?: string[]; validFrom?: string; validTo?: string };
}

/** Reads templates from pricing's internal API (GET /internal/coupon-templates/:id). */
export class HttpCouponTemplateSource implements CouponTemplateSource {
  constructor(
    private readonly baseUrl: string,
    private readonly credentials: ServiceCredentials,
    private readonly timeoutMs = 5_000,
  ) {}

  async terms(templateId: string): Promise<CouponTemplateTerms | null> {
    const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/internal/coupon-templates/${encodeURIComponent(templateId)}`, {
      headers: { ...this.credentials.headerFor('pricing') },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`pricing answered ${res.status} for coupon template ${templateId}`);
    const view = (await res.json()) as TemplateView;
    const d = view.definition;
    if (!view.enabled || !d?.code || !d.validFrom || !d.validTo) return null;
    return { templateId, code: d.code, channels: d.channels ?? [], validFrom: new Date(d.validFrom), validTo: new Date(d.validTo) };
  }
}
