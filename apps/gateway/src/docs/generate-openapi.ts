import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module';
import { GATEWAY_API_MODULES } from '../gateway-api.modules';
import { applicationParts, buildOpenApiDocument } from './openapi.document';

/** Path of the committed document, relative to the repository root. */
export const COMMITTED_OPENAPI_PATH = 'docs/openapi/gateway.json';

/**
 * The gateway's OpenAPI document from the real AppModule in preview mode: modules and routes are
 * resolved, no provider is instantiated, nothing connects or listens.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule, { preview: true, logger: false, abortOnError: false });
  try {
    return buildOpenApiDocument(applicationParts(app), GATEWAY_API_MODULES);
  } finally {
    await app.close();
  }
}
