import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgbenchTps } from '@omni/testing';

// The order bench reports the saga SQL ceiling next to its end-to-end figure: the script must keep
// running cleanly against its schema, and a broken one must fail the measurement, not report a rate.
describe('saga SQL ceiling (pgbench)', () => {
  const schemaFile = join(__dirname, 'saga-ceiling.schema.sql');

  it('runs one saga per script run against its schema, every transaction committing', async () => {
    const sagasPerSecond = await pgbenchTps({ workload: { kind: 'script', schemaFile, scriptFile: join(__dirname, 'saga-ceiling.pgbench.sql') }, seconds: 1, clients: 2 });
    expect(sagasPerSecond).toBeGreaterThan(0);
  });

  it('fails when the script does not run, rather than reporting a rate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'saga-ceiling-'));
    try {
      const broken = join(dir, 'broken.pgbench.sql');
      await writeFile(broken, 'BEGIN;\nUPDATE no_such_table SET x = 1;\nCOMMIT;\n');
      await expect(pgbenchTps({ workload: { kind: 'script', schemaFile, scriptFile: broken }, seconds: 1, clients: 2 })).rejects.toThrow(/no_such_table/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
