import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { ServiceEnv } from '../config/service-env';
import { DomainError, DomainErrorType } from '../errors/domain-error';
import { SERVICE_CONFIG, SERVICE_DEFINITION } from '../platform.tokens';
import type { ServiceDefinition } from '../service-definition';
import { PUBLIC_ROUTE } from './public-route.decorator';
import { verifyServiceToken, type ServiceCaller } from './service-token';

/** Error code of a call to an internal route without a bearer token. */
export const SERVICE_CREDENTIAL_REQUIRED = 'SERVICE_CREDENTIAL_REQUIRED';
/** Error code of a call whose token is expired, for another service or signed with another key. */
export const SERVICE_CREDENTIAL_INVALID = 'SERVICE_CREDENTIAL_INVALID';

/** The request of an internal route once its caller is known. */
export type ServiceAuthenticatedRequest = Request & { serviceCaller?: ServiceCaller };

/** True when `body` is an answer of this guard (a caller's own credential problem, never the end user's). */
export function isServiceCredentialRefusal(status: number, body: unknown): boolean {
  const code = (body as { code?: unknown } | null)?.code;
  return status === 401 && (code === SERVICE_CREDENTIAL_REQUIRED || code === SERVICE_CREDENTIAL_INVALID);
}

/**
 * Global guard of an internal service: every HTTP route but those marked {@link PublicRoute}
 * (health, metrics) requires `Authorization: Bearer <token>` for this service, signed with one of
 * SERVICE_AUTH_KEY's keys; 401 SERVICE_CREDENTIAL_REQUIRED or SERVICE_CREDENTIAL_INVALID otherwise.
 */
@Injectable()
export class ServiceAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SERVICE_DEFINITION) private readonly def: ServiceDefinition,
    @Inject(SERVICE_CONFIG) private readonly env: ServiceEnv,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<ServiceAuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      throw new DomainError(
        DomainErrorType.Unauthorized,
        SERVICE_CREDENTIAL_REQUIRED,
        `This is an internal route of ${this.def.name}: send Authorization: Bearer <service token for ${this.def.name}>`,
      );
    }
    const verdict = verifyServiceToken(match[1], this.def.name, this.env.SERVICE_AUTH_KEY);
    if (!verdict.ok) throw new DomainError(DomainErrorType.Unauthorized, SERVICE_CREDENTIAL_INVALID, `Service credential refused: ${verdict.reason}`);
    request.serviceCaller = verdict.caller;
    return true;
  }
}
