import { findNulCharacter } from './nul-character';

describe('findNulCharacter', () => {
  it.each([
    [{ sku: 'TEA-1', lines: [{ note: 'ok' }] }, undefined],
    [{ sku: 'TEA\u00001' }, 'sku'],
    [{ lines: [{ note: 'a' }, { note: 'b\u0000' }] }, 'lines.1.note'],
    [{ ['k\u0000ey']: 1 }, 'k\\0ey'],
    ['\u0000', '(payload)'],
    [42, undefined],
  ])('finds the NUL in %j at %s', (value, path) => {
    expect(findNulCharacter(value)).toBe(path);
  });

  it('walks deep values without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`);
    expect(findNulCharacter(deep)).toMatch(/^0(\.0)+$/);
  });
});
