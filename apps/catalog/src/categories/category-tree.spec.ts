import { subtree, wouldCreateCycle } from './category-tree';

//   food ─ tea ─ oolong
//        └ coffee
//   toys
const parents = new Map<string, string | null>([
  ['food', null],
  ['tea', 'food'],
  ['oolong', 'tea'],
  ['coffee', 'food'],
  ['toys', null],
]);

describe('category tree', () => {
  it('refuses a parent that is the category itself or one of its descendants', () => {
    expect(wouldCreateCycle(parents, 'tea', 'tea')).toBe(true);
    expect(wouldCreateCycle(parents, 'food', 'oolong')).toBe(true);
    expect(wouldCreateCycle(parents, 'tea', 'oolong')).toBe(true);
  });

  it('allows moving under an unrelated branch, a sibling, or to the root', () => {
    expect(wouldCreateCycle(parents, 'tea', 'toys')).toBe(false);
    expect(wouldCreateCycle(parents, 'oolong', 'coffee')).toBe(false);
    expect(wouldCreateCycle(parents, 'oolong', null)).toBe(false);
  });

  it('terminates on a loop already present', () => {
    const looped = new Map<string, string | null>([['a', 'b'], ['b', 'a'], ['c', null]]);
    expect(wouldCreateCycle(looped, 'c', 'a')).toBe(true);
  });

  it('lists a subtree including its root', () => {
    expect(subtree(parents, 'food').sort()).toEqual(['coffee', 'food', 'oolong', 'tea']);
    expect(subtree(parents, 'oolong')).toEqual(['oolong']);
  });
});
