import { validatePriceRule } from '../domain';
import { definitionErrors } from './definition-errors';

describe('definitionErrors', () => {
  it('names each bad field relative to the body, from the domain validator', () => {
    const result = validatePriceRule(
      { id: 'r', name: 'r', kind: 'spend-threshold', priority: 0, group: 'g', currency: 'CNY', version: 1, thresholds: [{ minSubtotal: 100, discount: 10 }, { minSubtotal: 200, discount: -1 }] },
      'body',
    );
    expect(result.ok).toBe(false);
    const error = definitionErrors(result.ok ? [] : result.errors);
    expect(error.httpStatus).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([{ field: 'thresholds[1].discount', reason: expect.stringMatching(/positive integer/) }]);
  });

  it('reports a body-level problem as "(body)"', () => {
    const result = validatePriceRule([1], 'body');
    expect(definitionErrors(result.ok ? [] : result.errors).details).toEqual([{ field: '(body)', reason: 'must be an object' }]);
  });
});
