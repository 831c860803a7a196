import { Logger as NestLogger, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { toErrorResponse } from '../errors/error-response';
import { HttpExceptionFilter } from '../errors/http-exception.filter';
import { createValidationPipe } from '../errors/validation';
import { bodyShapeGuard } from '../http/body-shape.guard';

/** Options for {@link createServiceApp} and bootstrapService. */
export interface ServiceAppOptions {
  /** Largest accepted request body (JSON or form); bigger bodies get 413 PAYLOAD_TOO_LARGE. Default `1mb`. */
  bodyLimit?: string;
  /** Keep each request's raw body as `req.rawBody` (a Buffer), for signatures over the exact bytes (webhooks). Default false. */
  rawBody?: boolean;
}

/** Default request body limit. */
export const DEFAULT_BODY_LIMIT = '1mb';

/**
 * Creates the service's Nest app with the platform's logger, validation, error mapping and body
 * limits, without listening. Errors while creating (bad config, unreachable database) are thrown.
 */
export async function createServiceApp(appModule: Type<unknown>, options: ServiceAppOptions = {}): Promise<INestApplication> {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    bufferLogs: true,
    // Start-up failures are reported by the caller (one clear line), not as buffered stack traces.
    autoFlushLogs: false,
    abortOnError: false,
    bodyParser: false,
    rawBody: options.rawBody ?? false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: true });
  app.use(bodyShapeGuard);
  // Body parser and body-shape failures (too large, malformed JSON, too deep) happen before Nest's filters; map them here.
  const early = new NestLogger('HttpBody');
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const { status, body, unexpected } = toErrorResponse(error);
    if (unexpected) early.error({ err: error, method: req.method, url: req.originalUrl }, 'Unhandled error while reading a request');
    res.status(status).json(body);
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  return app;
}
