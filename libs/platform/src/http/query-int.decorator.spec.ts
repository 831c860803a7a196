import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, validateSync } from 'class-validator';
import { QueryInt } from './query-int.decorator';

class Page {
  @IsOptional()
  @QueryInt()
  @IsInt({ message: '$property must be an integer' })
  limit?: number;
}

const read = (limit: unknown) => {
  const page = plainToInstance(Page, { limit });
  return { limit: page.limit, errors: validateSync(page).map((e) => e.property) };
};

describe('QueryInt', () => {
  it('turns plain decimal integers into numbers', () => {
    expect(read('16')).toEqual({ limit: 16, errors: [] });
    expect(read('-3')).toEqual({ limit: -3, errors: [] });
    expect(read('007')).toEqual({ limit: 7, errors: [] });
  });

  it.each(['0x10', '1e3', ' 7', '7 ', '', '+5', '1.0', 'Infinity', '0b1', '9'.repeat(16)])('leaves %p a string, so @IsInt refuses it', (raw) => {
    expect(read(raw)).toEqual({ limit: raw, errors: ['limit'] });
  });
});
