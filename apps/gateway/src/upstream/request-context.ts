import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER } from '@omni/platform';

/** What upstream calls made while serving a request need to know about it. */
export interface RequestContext {
  requestId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served, if any. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Express middleware: runs the rest of the request inside its context (the request id the logger chose). */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const fromLogger = (req as Request & { id?: unknown }).id;
  const echoed = res.getHeader(REQUEST_ID_HEADER);
  const requestId = typeof fromLogger === 'string' ? fromLogger : typeof echoed === 'string' ? echoed : undefined;
  storage.run({ requestId }, next);
}
