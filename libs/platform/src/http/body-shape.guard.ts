import type { NextFunction, Request, Response } from 'express';
import { DomainError, DomainErrorType } from '../errors/domain-error';

/** Keys that could reach an object's prototype when a body is merged or copied. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deepest nesting of objects and arrays a body may have; real bodies use a handful of levels. */
export const MAX_BODY_DEPTH = 64;

/** What makes a parsed JSON body unsafe to hand to the routes, with the path where it was found. */
export type BodyShapeProblem = { problem: 'prototype-key'; path: string } | { problem: 'too-deep'; path: string } | { problem: 'nul-character'; path: string };

/**
 * The first shape problem of a parsed JSON value, if any: a prototype key at any depth, nesting
 * deeper than MAX_BODY_DEPTH (which would exhaust the stack of the recursive DTO transformation and
 * the upstream serialiser), or a NUL character in a string or a key (Postgres text cannot hold
 * one, so no route could keep it). Iterative, so the check itself cannot overflow.
 */
export function findBodyShapeProblem(value: unknown): BodyShapeProblem | undefined {
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (typeof node === 'string' && node.includes('\u0000')) return { problem: 'nul-character', path: path || '(body)' };
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { problem: 'too-deep', path: path || '(body)' };
    for (const key of Object.keys(node)) {
      const at = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return { problem: 'prototype-key', path: at };
      if (key.includes('\u0000')) return { problem: 'nul-character', path: at.replace(/\u0000/g, '\\0') };
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
 * Express middleware every service runs right after its body parsers: no key of a JSON body or
 * query string may be a prototype key, neither may nest deeper than MAX_BODY_DEPTH, and no string
 * in them may hold a NUL character (400 PROTOTYPE_KEY / BODY_TOO_DEEP / NUL_CHARACTER naming the
 * field), so no route's validation, SQL or serialisation ever meets such input.
 */
export function bodyShapeGuard(req: Request, _res: Response, next: NextFunction): void {
  const found = findBodyShapeProblem(req.body) ?? findBodyShapeProblem(req.query);
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
  if (found?.problem === 'nul-character') {
    next(new DomainError(DomainErrorType.InvalidInput, 'NUL_CHARACTER', `${found.path} must not contain the NUL character`, [{ field: found.path, reason: 'must not contain the NUL character (\\u0000)' }]));
    return;
  }
  next();
}
