import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorResponse } from './error-response';

/** Answers every HTTP error as `{ code, message, details? }`; logs unexpected 5xx as errors. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  /** Writes the mapped error response. */
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { status, body, unexpected, headers } = toErrorResponse(exception);
    if (unexpected) {
      this.logger.error({ err: exception, method: request.method, url: request.originalUrl }, 'Unhandled error while serving request');
    } else if (status >= 500) {
      this.logger.warn({ code: body.code, method: request.method, url: request.originalUrl }, body.message);
    }
    if (response.headersSent) return;
    if (headers) response.set(headers);
    response.status(status).json(body);
  }
}
