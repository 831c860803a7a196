// Compiles every app and lib (apps/*/src, libs/*/src) to dist/ with SWC, rewriting the
// tsconfig path aliases (@omni/*) to relative requires, so `node dist/apps/<app>/src/main.js`
// runs without a loader. Type-checking is separate (`npm run typecheck`).
import { transformFile } from '@swc/core';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const skip = /\.(spec|int-spec|e2e-spec)\.ts$|\.d\.ts$/;

async function sources(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = await Promise.all(
    entries.map((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return sources(path);
      return e.name.endsWith('.ts') && !skip.test(e.name) ? [path] : [];
    }),
  );
  return files.flat();
}

async function main() {
  const started = Date.now();
  await rm(outDir, { recursive: true, force: true });
  const projects = [];
  for (const group of ['apps', 'libs']) {
    for (const name of await readdir(join(root, group)).catch(() => [])) projects.push(join(root, group, name, 'src'));
  }
  const files = (await Promise.all(projects.map(sources))).flat();
  const options = {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs' },
    sourceMaps: true,
  };
  // A few files at a time: the machine has two cores.
  for (let i = 0; i < files.length; i += 16) {
    await Promise.all(
      files.slice(i, i + 16).map(async (file) => {
        const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
        const { code, map } = await transformFile(file, { ...options, filename: file, sourceFileName: relative(dirname(target), file) });
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
        if (map) await writeFile(`${target}.map`, map);
      }),
    );
  }
  console.log(`built ${files.length} files into dist/ in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
