import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The lint rule is only as good as its configuration: prove that the boundaries we rely on
// (apps never import apps, libs never import apps, contracts import only contracts) really fail.
const root = join(__dirname, '..', '..');

const nxEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

/** Lints `code` as if it were `file` with the repository's real ESLint config (in a child process: the config is ESM). */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const run = spawnSync(join(root, 'node_modules', '.bin', 'eslint'), ['--stdin', '--stdin-filename', join(root, file), '--format', 'json'], {
    cwd: root,
    input: code,
    env: nxEnv,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

beforeAll(() => {
  // The rule reads the cached Nx project graph; compute it as `npm test` does.
  execFileSync(join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects'], { cwd: root, env: nxEnv });
}, 60_000);

describe('Nx module boundaries', () => {
  it('refuses an app importing another app', async () => {
    const errors = await boundaryErrors('apps/order/src/zz.ts', "import { AppModule } from '../../inventory/src/app.module';\nexport const x = AppModule;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('refuses a lib importing an app', async () => {
    const errors = await boundaryErrors('libs/messaging/src/zz.ts', "import { AppModule } from '../../../apps/order/src/app.module';\nexport const x = AppModule;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('refuses the contracts lib importing another kind of lib', async () => {
    const errors = await boundaryErrors('libs/contracts/src/zz.ts', "import { uniqueId } from '@omni/testing';\nexport const x = uniqueId;\n");
    expect(errors.join('\n')).toMatch(/tagged with "type:contracts" can only depend/);
  });

  it('allows an app importing a lib through its alias', async () => {
    const errors = await boundaryErrors('apps/order/src/zz.ts', "import { uniqueId } from '@omni/testing';\nexport const x = uniqueId;\n");
    expect(errors).toEqual([]);
  });
});
