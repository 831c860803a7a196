import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Injectable, Param, Res } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import { DomainError, DomainErrorType } from '@omni/platform';
import type { Response } from 'express';
import { GATEWAY_API_MODULES } from '../gateway-api.modules';
import { buildOpenApiDocument } from './openapi.document';

/** Swagger UI files /docs may serve; nothing else is read from disk. */
const UI_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

const UI_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>omni-retail gateway API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });</script>
</body></html>
`;

/** Builds the document once, on first request, when every module's routes are known. */
@Injectable()
export class OpenApiDocumentService {
  private document?: OpenAPIObject;

  constructor(
    private readonly modules: ModulesContainer,
    private readonly config: ApplicationConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** The gateway's OpenAPI document. */
  get(): OpenAPIObject {
    this.document ??= buildOpenApiDocument({ modules: this.modules, config: this.config, httpAdapter: this.adapterHost.httpAdapter }, GATEWAY_API_MODULES);
    return this.document;
  }
}

/** Serves the OpenAPI document at /docs-json and Swagger UI at /docs. */
@ApiExcludeController()
@Controller()
export class DocsController {
  private readonly assets = new Map<string, string>();

  constructor(private readonly openApi: OpenApiDocumentService) {}

  /** The OpenAPI 3 document. */
  @Get('docs-json')
  json(): OpenAPIObject {
    return this.openApi.get();
  }

  /** Swagger UI. */
  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return UI_PAGE;
  }

  /** Swagger UI's static files. */
  @Get('docs/:asset')
  @Header('cache-control', 'public, max-age=3600')
  asset(@Param('asset') asset: string, @Res({ passthrough: true }) res: Response): string {
    const type = UI_ASSETS[asset];
    if (!type) throw new DomainError(DomainErrorType.NotFound, 'NOT_FOUND', `No docs asset ${asset}`);
    let body = this.assets.get(asset);
    if (body === undefined) {
      body = readFileSync(join(dirname(require.resolve('swagger-ui-dist/package.json')), asset), 'utf8');
      this.assets.set(asset, body);
    }
    res.type(type);
    return body;
  }
}
