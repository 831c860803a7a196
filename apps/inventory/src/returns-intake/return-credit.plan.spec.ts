import fc from 'fast-check';
import { addCredit, OwnerUnits, planReturnCredit } from './return-credit.plan';

const CONSIGNOR = 'consignor';
const RETAILER = 'retailer';

describe('planReturnCredit', () => {
  it('gives a returned unit back to the owner whose stock was deducted', () => {
    expect(planReturnCredit([{ ownerId: CONSIGNOR, quantity: 2 }], [], 1)).toEqual({ credits: [{ ownerId: CONSIGNOR, quantity: 1 }], uncovered: 0 });
  });

  it('follows deduction order across owners and skips what earlier returns already gave back', () => {
    const deducted = [
      { ownerId: CONSIGNOR, quantity: 1 },
      { ownerId: RETAILER, quantity: 2 },
    ];
    expect(planReturnCredit(deducted, [], 2).credits).toEqual([
      { ownerId: CONSIGNOR, quantity: 1 },
      { ownerId: RETAILER, quantity: 1 },
    ]);
    expect(planReturnCredit(deducted, [{ ownerId: CONSIGNOR, quantity: 1 }], 1).credits).toEqual([{ ownerId: RETAILER, quantity: 1 }]);
  });

  it('adds up an owner deducted on several lines or locations, keeping first-appearance order', () => {
    const deducted = [
      { ownerId: RETAILER, quantity: 1 },
      { ownerId: CONSIGNOR, quantity: 1 },
      { ownerId: RETAILER, quantity: 1 },
    ];
    expect(planReturnCredit(deducted, [], 3).credits).toEqual([
      { ownerId: RETAILER, quantity: 2 },
      { ownerId: CONSIGNOR, quantity: 1 },
    ]);
  });

  it('reports units no deduction accounts for as uncovered', () => {
    expect(planReturnCredit([], [], 2)).toEqual({ credits: [], uncovered: 2 });
    expect(planReturnCredit([{ ownerId: RETAILER, quantity: 1 }], [{ ownerId: RETAILER, quantity: 1 }], 1)).toEqual({ credits: [], uncovered: 1 });
    expect(planReturnCredit([{ ownerId: RETAILER, quantity: 1 }], [], 3)).toEqual({ credits: [{ ownerId: RETAILER, quantity: 1 }], uncovered: 2 });
  });

  it.each([0, -1, 1.5])('refuses quantity %s', (quantity) => {
    expect(() => planReturnCredit([], [], quantity)).toThrow(RangeError);
  });

  it('over any sequence of returns, never gives an owner back more than was deducted from it, and accounts for every unit', () => {
    const owners = ['a', 'b', 'c'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ ownerId: fc.constantFrom(...owners), quantity: fc.integer({ min: 1, max: 5 }) }), { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
        (deducted, returns) => {
          const credited: OwnerUnits[] = [];
          let uncovered = 0;
          for (const quantity of returns) {
            const plan = planReturnCredit(deducted, credited, quantity);
            expect(plan.credits.reduce((sum, c) => sum + c.quantity, 0) + plan.uncovered).toBe(quantity);
            expect(plan.credits.every((c) => Number.isInteger(c.quantity) && c.quantity > 0)).toBe(true);
            credited.push(...plan.credits);
            uncovered += plan.uncovered;
          }
          const sum = (units: OwnerUnits[], owner: string) => units.filter((u) => u.ownerId === owner).reduce((s, u) => s + u.quantity, 0);
          for (const owner of owners) expect(sum(credited, owner)).toBeLessThanOrEqual(sum(deducted, owner));
          // Units only go uncovered once every deducted unit has come back.
          const totalDeducted = deducted.reduce((s, d) => s + d.quantity, 0);
          const totalReturned = returns.reduce((s, q) => s + q, 0);
          expect(uncovered).toBe(Math.max(0, totalReturned - totalDeducted));
        },
      ),
    );
  });
});

describe('addCredit', () => {
  it('merges into an existing line of the owner or appends one', () => {
    const credits = [{ ownerId: CONSIGNOR, quantity: 1 }];
    expect(addCredit(credits, CONSIGNOR, 2)).toEqual([{ ownerId: CONSIGNOR, quantity: 3 }]);
    expect(addCredit(credits, RETAILER, 1)).toEqual([
      { ownerId: CONSIGNOR, quantity: 1 },
      { ownerId: RETAILER, quantity: 1 },
    ]);
    expect(addCredit(credits, RETAILER, 0)).toEqual(credits);
  });
});
