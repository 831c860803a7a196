import type { NextFunction, Request, Response } from 'express';
import { DomainError, DomainErrorType } from '../errors/domain-error';

/** Keys that could reach an object's prototype when a body is merged or copied. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deepest nesting of objects and arrays a body may have; real bodies use a handful of levels. */
export const MAX_BODY_DEPTH = 64;

/** What makes a parsed JSON body unsafe to hand to the routes, with the path where it was found. */
export type BodyShapeProblem = { problem: 'prototype-key'; path: string } | { problem: 'too-deep'; path: string };

/**
 * The first shape problem of a parsed JSON value, if any: a prototype key at any depth, or nesting
 * deeper than MAX_BODY_DEPTH (which would exhaust the stack of the recursive DTO transformation and
 * the upstream serialiser). Iterative, so the check itself cannot overflow.
 */
export function findBodyShapeProblem(value: unknown): BodyShapeProblem | undefined {
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { problem: 'too-deep', path: path || '(body)' };
    for (const key of Object.keys(node)) {
      const at = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return { problem: 'prototype-key', path: at };
      stack.push({ node: (node as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The path of the first prototype key in a parsed JSON value, if any. */
export function findPrototypeKey(value: unknown): string | undefined {
  const found = findBodyShapeProblem(value);
  return found?.problem === 'prototype-key' ? found.path : undefined;
}

/**
 * Express middleware every service runs right after its body parsers: no key of a JSON body may be
 * a prototype key, and it may not nest deeper than MAX_BODY_DEPTH (400 PROTOTYPE_KEY /
 * BODY_TOO_DEEP), so no route's validation or serialisation ever meets such a body.
 */
export function bodyShapeGuard(req: Request, _res: Response, next: NextFunction): void {
  const found = findBodyShapeProblem(req.body);
  if (found?.problem === 'prototype-key') {
    next(new DomainError(DomainErrorType.InvalidInput, 'PROTOTYPE_KEY', `Request body must not contain the key ${found.path}`, [{ field: found.path, reason: `${found.path} is not allowed` }]));
    return;
  }
  if (found?.problem === 'too-deep') {
    next(
      new DomainError(DomainErrorType.InvalidInput, 'BODY_TOO_DEEP', `Request body nests objects and arrays deeper than ${MAX_BODY_DEPTH} levels`, [
        { field: found.path.split('.').slice(0, 8).join('.'), reason: `nests deeper than ${MAX_BODY_DEPTH} levels` },
      ]),
    );
    return;
  }
  next();
}
