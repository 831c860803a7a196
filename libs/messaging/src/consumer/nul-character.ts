/**
 * The path of the first NUL character (U+0000) in a parsed JSON value, in a string or a key, if
 * any: Postgres text and jsonb cannot hold one, so an event carrying it could never be applied (nor
 * recorded in the inbox) and is dead-lettered instead of retried. Iterative, so deep values cannot
 * overflow the stack. The consuming side's twin of the platform's HTTP body rule.
 */
export function findNulCharacter(value: unknown): string | undefined {
  const stack: Array<{ node: unknown; path: string }> = [{ node: value, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return path || '(payload)';
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    for (const key of Object.keys(node)) {
      const at = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return at.replace(/\u0000/g, '\\0');
      stack.push({ node: (node as Record<string, unknown>)[key], path: at });
    }
  }
  return undefined;
}
