import { maskPhone, normalizePhone, PersonalDataHasher } from './personal-data.hasher';

const SECRET = 'a-test-secret-of-at-least-32-characters!';

describe('personal data hashing', () => {
  it.each([
    ['138 0013 8000', '13800138000'],
    ['+86 (138) 0013-8000', '+8613800138000'],
    ['138.0013.8000', '13800138000'],
    ['12345', undefined],
    ['phone', undefined],
    ['+86 138 0013 8000 0000 0000', undefined],
  ])('normalizes %s to %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it('hashes equal numbers equally, with no trace of the number, and differently under another secret', () => {
    const hasher = new PersonalDataHasher(SECRET);
    const hash = hasher.phone('13800138000');
    expect(hasher.phone('13800138000')).toBe(hash);
    expect(hash).not.toContain('13800138000');
    expect(new PersonalDataHasher(`${SECRET}x`).phone('13800138000')).not.toBe(hash);
    expect(hasher.account('app', '13800138000')).not.toBe(hash);
  });

  it('binds a PIN hash to its card', () => {
    const hasher = new PersonalDataHasher(SECRET);
    expect(hasher.giftCardPin('card-a', '123456')).not.toBe(hasher.giftCardPin('card-b', '123456'));
  });

  it('refuses a short secret', () => {
    expect(() => new PersonalDataHasher('short')).toThrow('at least 32 characters');
  });

  it('masks all but the last four digits', () => {
    expect(maskPhone('13800138000')).toBe('*******8000');
  });
});
