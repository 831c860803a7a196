import { SERVICE_TOKEN_TTL_SECONDS, signServiceToken } from './service-token';

/** Seconds before expiry at which a cached token is replaced, so none expires in flight. */
const RENEW_BEFORE_EXPIRY_SECONDS = 60;

/** The header a service call carries. */
export interface ServiceAuthHeader {
  authorization: string;
}

/**
 * The credentials this service presents when it calls another one: a short-lived token naming it
 * (`iss`) and the service called (`aud`), signed with the first SERVICE_AUTH_KEY. Tokens are cached
 * per audience until shortly before they expire. The platform provides one per app; clients call
 * `headerFor('<service>')` on every request.
 */
export class ServiceCredentials {
  private readonly cache = new Map<string, { header: ServiceAuthHeader; renewAt: number }>();

  constructor(
    /** This service's name, e.g. `order`. */
    readonly service: string,
    private readonly signingKey: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** `{ authorization: 'Bearer <token>' }` for a call to `audience`. */
  headerFor(audience: string): ServiceAuthHeader {
    const now = this.nowSeconds();
    const cached = this.cache.get(audience);
    if (cached && now < cached.renewAt) return cached.header;
    const token = signServiceToken(this.signingKey, { issuer: this.service, audience, issuedAt: now });
    const header = { authorization: `Bearer ${token}` };
    this.cache.set(audience, { header, renewAt: now + SERVICE_TOKEN_TTL_SECONDS - RENEW_BEFORE_EXPIRY_SECONDS });
    return header;
  }
}
