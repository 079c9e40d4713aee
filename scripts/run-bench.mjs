#!/usr/bin/env node
// Runs every benchmark (bench/<area>/run.ts), or those named as arguments, one after another.
// Benchmarks are never part of `npm test`: they take minutes and need a quiet machine.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(root, 'bench');
const requested = process.argv.slice(2);
const areas = readdirSync(benchDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(benchDir, entry.name, 'run.ts')))
  .map((entry) => entry.name)
  .filter((name) => requested.length === 0 || requested.includes(name))
  .sort();

if (areas.length === 0) {
  console.error(`no benchmark found${requested.length ? ` named ${requested.join(', ')}` : ''} under bench/<area>/run.ts`);
  process.exit(2);
}

let failed = 0;
for (const area of areas) {
  console.log(`\n== bench/${area} ==`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, area, 'run.ts')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
