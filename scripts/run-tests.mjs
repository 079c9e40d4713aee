#!/usr/bin/env node
// Runs the whole suite: WebAssembly build, type check, build (end-to-end tests call bin/tokengap.js),
// then every test/**/*.test.ts through node:test with tsx.
// Arguments narrow the run to test files whose path starts with one of them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found.sort();
}

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// The WebAssembly modules, embedded in generated sources that the type check reads.
run(process.execPath, [join(root, 'scripts', 'build-wasm.mjs')]);
if (!process.env.TOKENGAP_SKIP_TYPECHECK) run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit']);
run(process.execPath, [tsc, '-p', 'tsconfig.build.json']);

const files = findTests(join(root, 'test')).filter(
  (file) => filters.length === 0 || filters.some((filter) => file.startsWith(filter.replace(/^\.\//, ''))),
);
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(2);
}

const tapDir = mkdtempSync(join(tmpdir(), 'tokengap-tests-'));
const tapFile = join(tapDir, 'result.tap');
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    `--test-concurrency=${process.env.TOKENGAP_TEST_CONCURRENCY ?? '2'}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);

// The TAP summary gives the totals for the plain closing line that CI reads.
const tap = readFileSync(tapFile, 'utf8');
rmSync(tapDir, { recursive: true, force: true });
const count = (label) => Number((tap.match(new RegExp(`^# ${label} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
console.log(`${count('pass')} passed, ${count('fail')} failed, ${count('skipped')} skipped`);
process.exit(result.status ?? 1);
