import { statementsIn } from './counting-client';

describe('statementsIn (what db_statements_total adds per query call)', () => {
  it('counts one for a plain statement, with or without a trailing semicolon', () => {
    expect(statementsIn('SELECT 1')).toBe(1);
    expect(statementsIn('SELECT 1;')).toBe(1);
  });

  it('counts each statement of a multi-statement string sent without values', () => {
    expect(statementsIn('BEGIN; SELECT seq FROM messaging_outbox LIMIT 500 FOR UPDATE')).toBe(2);
    expect(statementsIn('UPDATE t SET a = 1;\n COMMIT;')).toBe(2);
    expect(statementsIn({ text: 'SELECT 1; SELECT 2' })).toBe(2);
  });

  it('counts a query with values as one, whatever its text holds', () => {
    expect(statementsIn("SELECT ';' || $1", ['a;b'])).toBe(1);
    expect(statementsIn('SELECT 1', [])).toBe(1);
    expect(statementsIn({ text: 'SELECT $1; ', values: ['x'] })).toBe(1);
  });
});
