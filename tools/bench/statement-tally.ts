// Which SQL statements each service sent, from the counts a bench run wrote with
// BENCH_STATEMENT_TALLY_DIR=<dir> (libs/platform: DB_STATEMENT_TALLY_DIR), per unit of work:
//   node -r @swc-node/register tools/bench/statement-tally.ts <dir> [units] [top]
// e.g. `BENCH_STATEMENT_TALLY_DIR=/tmp/tally npm run bench -- checkout`, then `... /tmp/tally 1100`
// (the counts cover the whole run: demo seed, warm-up and measured buyers).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, unitsArg = '1', topArg = '12'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: statement-tally.ts <dir> [units] [top]');
  process.exit(2);
}
const units = Number(unitsArg);
const top = Number(topArg);
const byApp = new Map<string, Map<string, number>>();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const app = file.replace(/-\d+\.json$/, '');
  const counts = byApp.get(app) ?? new Map<string, number>();
  for (const [text, n] of Object.entries(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, number>)) counts.set(text, (counts.get(text) ?? 0) + n);
  byApp.set(app, counts);
}
for (const [app, counts] of [...byApp].sort()) {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${app}: ${(total / units).toFixed(1)} statements per unit`);
  for (const [text, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(n / units).toFixed(2).padStart(6)}  ${text.slice(0, 150)}`);
}
