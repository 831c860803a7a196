import { HttpException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Express middleware in front of every gateway route: a request body must be JSON (415 otherwise,
 * rather than being silently read as empty). Prototype keys and over-deep nesting are refused
 * earlier, by the platform's body-shape guard that every service runs.
 */
export function requestBodyGuard(req: Request, _res: Response, next: NextFunction): void {
  if (hasBody(req) && !req.is('application/json')) {
    next(new HttpException({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Request bodies must be JSON (Content-Type: application/json)' }, 415));
    return;
  }
  next();
}
