import type { INestApplicationContext, Type } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_KEY_HEADER, CHANNEL_KEY_SCHEME, MEMBER_TOKEN_SCHEME, PAYMENT_SIGNATURE_SCHEME, STAFF_TOKEN_SCHEME } from '../auth/auth.decorators';
import { PAYMENT_SIGNATURE_HEADER } from '@omni/contracts';
import { completeValidatorSchemas } from './validator-schemas';

/** Version of the gateway API the document describes. */
export const GATEWAY_API_VERSION = '0.1.0';

/** The document's fixed header: title, description and the two ways to authenticate. */
function documentConfig(): Omit<OpenAPIObject, 'paths'> {
  return new DocumentBuilder()
    .setTitle('omni-retail gateway')
    .setDescription(
      'The public HTTP API for frontends (app, web, POS, shelf labels, ops console). Channel routes take a channel API key ' +
        '(X-Api-Key) and answer for that key\'s channel only; member routes (/me, and /cart/quote and /orders when a member buys) take a member token ' +
        '(Bearer JWT from /auth/otp/verify or /auth/refresh, issued on the same channel) besides the key, or, for the channel integrations the gateway ' +
        'allows, X-Channel-Account-Id; the member is never taken from a request body. Back-office routes take a staff token (Bearer JWT) with a role. ' +
        'Every error body is { code, message, details?: [{ field, reason }] }; every answer carries x-request-id.',
    )
    .setVersion(GATEWAY_API_VERSION)
    .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER, description: 'Channel API key' }, CHANNEL_KEY_SCHEME)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Staff token' }, STAFF_TOKEN_SCHEME)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Member token (15 minutes; renew with POST /auth/refresh)' }, MEMBER_TOKEN_SCHEME)
    .addApiKey({ type: 'apiKey', in: 'header', name: PAYMENT_SIGNATURE_HEADER, description: "Payment provider's HMAC-SHA256 of the canonical payment string (verified by the order service)" }, PAYMENT_SIGNATURE_SCHEME)
    .build();
}

/** The parts of a Nest application the swagger scanner reads (the container and the app config). */
interface ScannableApp {
  container: { getModules(): ModulesContainer; isGlobalModule(): boolean };
  config: ApplicationConfig;
  getHttpAdapter(): unknown;
}

/** What the scanner needs from a Nest application: its modules, its config and its HTTP adapter. */
export interface ApplicationParts {
  modules: ModulesContainer;
  config: ApplicationConfig;
  httpAdapter: unknown;
}

/** The parts of a created application (listening or not, preview or not). */
export function applicationParts(app: INestApplicationContext): ApplicationParts {
  return { modules: app.get(ModulesContainer), config: app.get(ApplicationConfig), httpAdapter: app.get(HttpAdapterHost).httpAdapter };
}

/** Builds the OpenAPI document of the given gateway modules; the scanner only reads route metadata. */
export function buildOpenApiDocument(parts: ApplicationParts, include: Type<unknown>[]): OpenAPIObject {
  const scannable: ScannableApp = {
    container: { getModules: () => parts.modules, isGlobalModule: () => false },
    config: parts.config,
    getHttpAdapter: () => parts.httpAdapter,
  };
  const document = SwaggerModule.createDocument(scannable as never, documentConfig(), {
    include,
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return sortKeys(completeValidatorSchemas(document)) as OpenAPIObject;
}

/** The document as committed: stable key order, two-space indent, trailing newline. */
export function serialiseOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

/** Sorts object keys (not arrays) so the committed file does not churn with declaration order of paths. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
