import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { repoRoot } from '../helpers/shared.js';
import { tenantA } from './fixtures.js';
import { tempFolder } from '../helpers/temp.js';

// The built CLI, as users run it; `npm test` builds dist/ before the tests.
const bin = join(repoRoot, 'bin', 'tokengap.js');

function runCli(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8' });
}

const workDir = tempFolder('tokengap-deliverables-cli-');
const reportPath = join(workDir, 'report.json');
writeFileSync(reportPath, JSON.stringify(tenantA()));

test('report.json input writes the deliverables', () => {
  const out = join(workDir, 'from-report');
  const result = runCli('deliverables', '--report', reportPath, '--engagement', join(repoRoot, 'examples', 'engagements', 'thin.yaml'), '--out', out);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Deliverables for Contoso Dental Group written to/);
  assert.deepEqual(readdirSync(out).sort(), ['client-message.txt', 'deliverables.html', 'deliverables.md', 'deliverables.pdf', 'work-items.csv']);
});

test('invalid engagement exits 2 before writing', () => {
  const bad = join(workDir, 'bad.yaml');
  writeFileSync(bad, 'version: 2\nclient:\n  name: A\nrates:\n  enginer: 150\n');
  const out = join(workDir, 'never');
  const result = runCli('deliverables', '--report', reportPath, '--engagement', bad, '--out', out);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /bad\.yaml:5 at rates\.enginer: unknown key `enginer` under `rates` \(did you mean `engineer`\?\)/);
  assert.match(result.stderr, /fix: rename `enginer` to `engineer`/);
  assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/);
  assert.equal(existsSync(out), false);
});

test('malformed report.json exits 2', () => {
  const broken = join(workDir, 'broken.json');
  writeFileSync(broken, JSON.stringify({ ...tenantA(), results: [{ checkId: 'x', area: 'nowhere' }] }));
  const result = runCli('deliverables', '--report', broken, '--engagement', join(repoRoot, 'examples', 'engagement-v2.yaml'), '--out', join(workDir, 'x'));
  assert.equal(result.status, 2);
  assert.match(result.stderr, /broken\.json at \$\.results\[0\]\.area/);
});

test('snapshot and --report together rejected', () => {
  const result = runCli('deliverables', 'some-dir', '--report', reportPath, '--engagement', join(repoRoot, 'examples', 'engagements', 'thin.yaml'));
  assert.equal(result.status, 2);
  assert.match(result.stderr, /either SNAPSHOT_DIR or --report/);
});

test('engagement of another client without tenant id exits 2 before writing', () => {
  // Regression: thin.yaml had no tenantId and was applied to the demo tenant's report.
  const other = join(workDir, 'other-client.yaml');
  writeFileSync(other, 'version: 2\nclient:\n  name: Contoso Dental Group\n');
  const report = join(workDir, 'named-report.json');
  writeFileSync(report, JSON.stringify(tenantA({ id: '54de065b-719b-4e5b-ab5b-cfddd8d17a5c', name: 'Harbor Point Accounting' })));
  const out = join(workDir, 'never-other');
  const result = runCli('deliverables', '--report', report, '--engagement', other, '--out', out);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /other-client\.yaml at client: the engagement file names the client Contoso Dental Group and has no client\.tenantId, but the assessment is of Harbor Point Accounting/);
  assert.match(result.stderr, /fix: .*add `tenantId: 54de065b-719b-4e5b-ab5b-cfddd8d17a5c` under `client:`/);
  assert.equal(existsSync(out), false);
});

test('--now with --report is rejected', () => {
  // Regression: --now was ignored without a message when the report was given.
  const result = runCli('deliverables', '--report', reportPath, '--engagement', join(repoRoot, 'examples', 'engagements', 'thin.yaml'), '--now', '2026-12-01T00:00:00Z', '--out', join(workDir, 'never-now'));
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--now 2026-12-01T00:00:00Z cannot be used with --report/);
  assert.equal(existsSync(join(workDir, 'never-now')), false);
});

test('out folder without write permission exits 2', () => {
  // Regression: EACCES on --out was an internal error (exit 3). As root, permission bits do
  // not apply, so the CLI runs as the unprivileged account `nobody` (uid 65534) on a folder root owns.
  const root = process.getuid?.() === 0;
  const locked = tempFolder('tokengap-locked-');
  chmodSync(locked, root ? 0o755 : 0o500);
  // The report must be readable by that user too.
  const report = join(locked, 'report.json');
  writeFileSync(report, JSON.stringify(tenantA()), { mode: 0o644 });
  try {
    const out = join(locked, 'deliverables');
    const result = spawnSync(process.execPath, [bin, 'deliverables', '--report', report, '--engagement', join(repoRoot, 'examples', 'engagements', 'thin.yaml'), '--out', out], {
      encoding: 'utf8',
      cwd: tmpdir(),
      ...(root ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /cannot write to the output folder .*tokengap-locked-\w+: permission denied \(EACCES\)/);
    assert.match(result.stderr, /fix: choose a folder you can write to with --out DIR/);
    assert.equal(existsSync(out), false);
  } finally {
    chmodSync(locked, 0o700);
    rmSync(locked, { recursive: true, force: true });
  }
});
