/** Parent of each category (null for a root). */
export type ParentMap = ReadonlyMap<string, string | null>;

/** True when making `newParent` the parent of `id` would close a loop (including id being its own parent). */
export function wouldCreateCycle(parents: ParentMap, id: string, newParent: string | null): boolean {
  const seen = new Set<string>();
  for (let node = newParent; node !== null; node = parents.get(node) ?? null) {
    if (node === id) return true;
    // A loop already in the data (which the writes prevent) must not hang the check.
    if (seen.has(node)) return true;
    seen.add(node);
  }
  return false;
}

/** `id` and every category below it. */
export function subtree(parents: ParentMap, id: string): string[] {
  const children = new Map<string, string[]>();
  for (const [child, parent] of parents) {
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const out: string[] = [];
  const stack = [id];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    out.push(node);
    stack.push(...(children.get(node) ?? []));
  }
  return out;
}
