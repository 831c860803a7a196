import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropSuiteData, freePortBlock, ownSuiteEnv, uniqueId, uniqueTopicPrefix, waitFor } from '@omni/testing';
import { ALLOCATIONS, DEMO_KEYS, PRODUCTS } from './demo-data';
import { bashBlocks, checkedScript, commandsOf, curlCalls, curlLog } from './readme-commands';
import { ROOT } from './suite';
import { serviceAuthHeadersForUrl } from '@omni/platform/testing';

jest.setTimeout(600_000);

const APPS = ['gateway', 'catalog', 'inventory', 'order', 'pricing', 'member', 'o2o-connector'];

/** A command run to its end, with its output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${output.slice(-4000)}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function json(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { headers: { ...(await serviceAuthHeadersForUrl(url)), ...headers } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

/**
 * A newcomer's first ten minutes, as the README tells them: `npm run up` on empty databases (here
 * a suite of its own: other ports, databases, topics and Redis keys), `npm run demo` against it,
 * every command of the README, then Ctrl-C.
 */
describe('the quick start: npm run up, npm run demo and the README commands', () => {
  const id = uniqueId('demo');
  const scratch = mkdtempSync(join(tmpdir(), 'omni-demo-'));
  const demoDir = join(scratch, 'demo');
  const redisPrefix = `${id}:`;
  const dbPrefix = `t_${id}`;
  let base = 0;
  let env: NodeJS.ProcessEnv;
  let up: ChildProcess;
  let upOutput = '';
  let upExit: Promise<[number | null, NodeJS.Signals | null]>;
  let gateway = '';

  beforeAll(async () => {
    base = await freePortBlock(APPS.length);
    env = ownSuiteEnv({ portBase: base, dbPrefix, scratch, topicPrefix: uniqueTopicPrefix('demo'), redisPrefix });
    // Its own process group, so SIGINT reaches npm, the script and every service like Ctrl-C does.
    up = spawn('npm', ['run', 'up'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    up.stdout!.on('data', (chunk: Buffer) => (upOutput += chunk.toString()));
    up.stderr!.on('data', (chunk: Buffer) => (upOutput += chunk.toString()));
    upExit = once(up, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const exitedEarly = upExit.then(([code, signal]): never => {
      throw new Error(`npm run up exited (${String(signal ?? code)}) before printing the gateway URL:\n${upOutput.slice(-6000)}`);
    });
    gateway = await Promise.race([
      exitedEarly,
      waitFor(() => /^Gateway: (http:\/\/\S+)/m.exec(upOutput)?.[1], { timeoutMs: 300_000, intervalMs: 250, what: 'npm run up to print the gateway URL' }),
    ]).catch((error: unknown) => {
      throw error instanceof Error && error.message.startsWith('timed out') ? new Error(`${error.message}; output so far:\n${upOutput.slice(-6000)}`) : error;
    });
  });

  afterAll(async () => {
    if (up?.exitCode === null && up.signalCode === null) {
      process.kill(-up.pid!, 'SIGKILL');
      await upExit;
    }
    await dropSuiteData(dbPrefix, APPS, redisPrefix);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('starts the suite on its ports, loads the demo data into the empty databases and prints the demo keys', () => {
    expect(gateway).toBe(`http://127.0.0.1:${base}`);
    expect(upOutput).toContain('the databases are empty: loading the demo data');
    expect(upOutput).toMatch(/demo data: \d+ created, 0 changed, 0 already in place/);
    expect(upOutput).toContain('for this local demo only');
    for (const key of DEMO_KEYS) expect(upOutput).toMatch(new RegExp(`${key.envName}=omk_\\S+`));
  });

  it('npm run demo:seed again changes nothing', async () => {
    const urls = { catalog: `http://127.0.0.1:${base + 1}`, inventory: `http://127.0.0.1:${base + 2}`, pricing: `http://127.0.0.1:${base + 4}` };
    const skus = PRODUCTS.flatMap((p) => p.skus.map((s) => s.sku));
    const snapshot = async () => ({
      products: await json(`${urls.catalog}/internal/products/export?limit=1000`),
      categories: await json(`${urls.catalog}/internal/categories`),
      brands: await json(`${urls.catalog}/internal/brands`),
      profiles: await json(`${urls.catalog}/internal/display-profiles`),
      locations: await json(`${urls.inventory}/internal/locations`),
      owners: await json(`${urls.inventory}/internal/owners`),
      levels: await Promise.all(skus.map((sku) => json(`${urls.inventory}/internal/stock/levels?sku=${sku}`))),
      allocations: await Promise.all([...new Set(ALLOCATIONS.map((a) => a.sku))].map((sku) => json(`${urls.inventory}/internal/allocations/${sku}`))),
      basePrices: await Promise.all(skus.map((sku) => json(`${urls.pricing}/internal/base-prices/${sku}`))),
      tmallPrices: await json(`${urls.pricing}/internal/channel-prices/tmall`),
      rules: await json(`${urls.pricing}/internal/rules`),
      keys: JSON.parse(readFileSync(join(demoDir, 'api-keys.json'), 'utf8')),
    });
    const before = await snapshot();
    const again = await run('npm', ['run', 'demo:seed'], env, 120_000);
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/demo data: 0 created, 0 changed, \d+ already in place/);
    expect(await snapshot()).toEqual(before);
  });

  it('npm run demo passes every step against it', async () => {
    const demo = await run('npm', ['run', 'demo'], env, 300_000);
    // The narration is the product here: show it in the test output when a step fails.
    if (demo.code !== 0) console.log(demo.output);
    expect(demo.output).toContain('▶ Step 1: One SKU, three channels');
    expect(demo.output).toContain('sold = stock');
    expect(demo.output).toMatch(/showed "Sold out"/);
    expect(demo.output).toContain('A member across channels');
    expect(demo.output).toContain('A delivery platform kept in step');
    expect(demo.output).toContain('7 of 7 steps passed');
    expect(demo.code).toBe(0);
  });

  it('runs every command of the README and gets the status it documents', async () => {
    const blocks = bashBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    // `npm run up` started this suite, `npm run demo` ran above, and `npm test` is the run this test is part of.
    const coveredAbove = new Set(['npm run up', 'npm run demo', 'npm test']);
    const scripts = blocks.filter((block) => !commandsOf(block.code).every((command) => coveredAbove.has(command.replace(/\s+#.*$/, ''))));
    const quickStart = blocks.flatMap((block) => commandsOf(block.code).map((command) => command.replace(/\s+#.*$/, ''))).filter((c) => coveredAbove.has(c));
    expect(quickStart).toEqual(['npm run up', 'npm test', 'npm run demo']);
    expect(scripts.length).toBeGreaterThan(0);
    for (const block of scripts) {
      const log = join(scratch, `curl-${block.line}.log`);
      writeFileSync(log, '');
      const script = join(scratch, `readme-${block.line}.sh`);
      writeFileSync(script, checkedScript(block.code, join(demoDir, 'env.sh')));
      const result = await run('bash', [script], { ...env, CURL_LOG: log }, 120_000);
      expect({ line: block.line, code: result.code, output: result.code === 0 ? '' : result.output.slice(-3000) }).toEqual({ line: block.line, code: 0, output: '' });
      const calls = curlLog(readFileSync(log, 'utf8'));
      expect(calls).toHaveLength(commandsOf(block.code).reduce((n, command) => n + curlCalls(command), 0));
      for (const call of calls) expect({ call: call.args.replace(/omk_\S+/g, '<key>'), status: call.actual }).toEqual({ call: call.args.replace(/omk_\S+/g, '<key>'), status: call.expected });
    }
  });

  it('stops every service cleanly on Ctrl-C', async () => {
    const closed = once(up, 'close'); // every process holding the output is gone
    process.kill(-up.pid!, 'SIGINT');
    const [code, signal] = (await upExit) as [number | null, NodeJS.Signals | null];
    await closed;
    expect(upOutput).toContain('› stopping services');
    expect(upOutput).toContain('› all services stopped');
    expect(upOutput).not.toContain('✗');
    // npm itself ends like any program on Ctrl-C (by the signal, or 0 when it waits for the script).
    expect(signal === 'SIGINT' || code === 0).toBe(true);
    for (let i = 0; i < APPS.length; i++) {
      await expect(fetch(`http://127.0.0.1:${base + i}/health/live`)).rejects.toThrow();
    }
  });
});
