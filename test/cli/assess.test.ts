import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { main } from '../../src/cli/main.js';
import { repoRoot } from '../helpers/shared.js';

const bin = join(repoRoot, 'bin', 'tokengap.js');
const work = mkdtempSync(join(tmpdir(), 'tokengap-assess-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

const NOW = '2026-11-20T09:00:00Z';

/** Runs the built CLI from a scratch folder, so nothing depends on the repository being the cwd. */
function runCli(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
}

/**
 * Runs the CLI in this process, capturing stderr, for the error cases: a spawn costs seconds of
 * start-up on a loaded machine. Only stderr is captured because the test runner reports through
 * stdout; the cases here fail before anything is printed there. The process exit code is
 * restored afterwards so the test runner's own result is untouched.
 */
async function runInProcess(...args: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  const originalStderr = process.stderr.write.bind(process.stderr);
  const savedExitCode = process.exitCode;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const status = await main(['node', 'tokengap', ...args]);
    return { status, stderr };
  } finally {
    process.stderr.write = originalStderr;
    process.exitCode = savedExitCode;
  }
}

function scratch(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a snapshot folder with only the organization export: every check is skipped, so no findings. */
function organizationOnlySnapshot(name: string, tenantId = '0f0f0f0f-1111-4222-8333-444444444444'): string {
  const dir = scratch(name);
  writeFileSync(join(dir, 'organization.json'), JSON.stringify({ value: [{ id: tenantId, displayName: 'Bare Tenant' }] }));
  return dir;
}

const REPORT_FILES = ['report.html', 'report.json', 'report.md'];
const DELIVERABLE_FILES = ['client-message.txt', 'deliverables.html', 'deliverables.md', 'deliverables.pdf', 'work-items.csv'];

test('demo writes owner-only reports and deliverables', () => {
  const out = join(work, 'demo-out');
  const result = runCli('assess', '--demo', '--out', out, '--now', NOW);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Assessed Harbor Point Accounting: \d+ checks/);
  // The demo has an engagement file, so the deliverables are written beside the report.
  assert.deepEqual(readdirSync(out).sort(), [...DELIVERABLE_FILES, ...REPORT_FILES].sort());
  for (const name of [...REPORT_FILES, ...DELIVERABLE_FILES]) {
    assert.match(result.stdout, new RegExp(`${out}/${name.replace('.', '\\.')}`));
    assert.equal(statSync(join(out, name)).mode & 0o777, 0o600, name);
  }
  assert.equal(statSync(out).mode & 0o777, 0o700);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.assessedAt, '2026-11-20T09:00:00.000Z');
  assert.equal(report.engagement.clientName, 'Harbor Point Accounting');
});

test('format option limits the files written', () => {
  const out = join(work, 'json-only');
  const result = runCli('assess', '--demo', '--out', out, '--format', 'json', '--now', NOW);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(
    readdirSync(out).filter((name) => name.startsWith('report.')),
    ['report.json'],
  );
});

test('no engagement means no deliverables', () => {
  const out = join(work, 'bare-reports');
  const result = runCli('assess', organizationOnlySnapshot('no-engagement'), '--out', out, '--now', NOW);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(readdirSync(out).sort(), REPORT_FILES);
});

test('fail-on sets exit code 1', () => {
  // The demo has high findings: exit 1, with the reports written all the same.
  const out = join(work, 'fail-on-info');
  const findings = runCli('assess', '--demo', '--out', out, '--fail-on', 'info', '--now', NOW);
  assert.equal(findings.status, 1, findings.stderr);
  assert.match(findings.stdout, /finding.* at or above info \(--fail-on info\)/);

  // Same input and --now as the first demo run: the reports are identical.
  for (const name of REPORT_FILES) {
    assert.equal(readFileSync(join(out, name), 'utf8'), readFileSync(join(work, 'demo-out', name), 'utf8'), name);
  }

  // Every check is skipped on a snapshot of the organization alone, so nothing reaches the threshold.
  const bare = organizationOnlySnapshot('bare');
  const clean = runCli('assess', bare, '--out', join(work, 'bare-out'), '--fail-on', 'info', '--now', NOW);
  assert.equal(clean.status, 0, clean.stderr);
});

const badInputs: { name: string; args: () => string[]; stderr: RegExp }[] = [
  { name: 'missing snapshot folder', args: () => ['assess', join(work, 'no-such-folder')], stderr: /snapshot folder not found: .*no-such-folder/ },
  {
    name: 'snapshot path is a file',
    args: () => {
      const file = join(work, 'a-file.json');
      writeFileSync(file, '{}');
      return ['assess', file];
    },
    stderr: /is a file, not a snapshot folder/,
  },
  {
    name: 'out is a file',
    args: () => {
      const file = join(work, 'out-file.html');
      writeFileSync(file, 'keep me');
      return ['assess', '--demo', '--out', file];
    },
    stderr: /--out .*out-file\.html is a file, not a folder/,
  },
  { name: 'unknown format', args: () => ['assess', '--demo', '--format', 'html,pdf'], stderr: /unknown report format "pdf"/ },
  { name: 'empty format', args: () => ['assess', '--demo', '--format', ','], stderr: /--format is empty/ },
  { name: 'no snapshot and no demo', args: () => ['assess'], stderr: /missing SNAPSHOT_DIR/ },
  { name: 'snapshot and demo together', args: () => ['assess', work, '--demo'], stderr: /either SNAPSHOT_DIR or --demo, not both/ },
  { name: 'unknown fail-on severity', args: () => ['assess', '--demo', '--fail-on', 'severe'], stderr: /argument 'severe' is invalid/ },
  { name: 'invalid now', args: () => ['assess', '--demo', '--now', 'yesterday'], stderr: /invalid --now yesterday/ },
  {
    name: 'engagement of another tenant',
    args: () => {
      const engagement = join(work, 'other-tenant.yaml');
      writeFileSync(engagement, 'version: 1\nclient:\n  name: Someone Else\n  tenantId: 99999999-8888-4777-8666-555555555555\n');
      return ['assess', organizationOnlySnapshot('mismatch'), '--engagement', engagement, '--out', join(work, 'mismatch-out')];
    },
    stderr: /other-tenant\.yaml at client\.tenantId: the engagement file is for tenant 99999999-8888-4777-8666-555555555555 \(Someone Else\), but the assessment is of Bare Tenant \(tenant id 0f0f0f0f-1111-4222-8333-444444444444\)/,
  },
  {
    // Regression: without client.tenantId the file was applied to any tenant.
    name: 'engagement without tenant id for another client',
    args: () => {
      const engagement = join(work, 'other-client.yaml');
      writeFileSync(engagement, 'version: 2\nclient:\n  name: Contoso Dental Group\n');
      return ['assess', organizationOnlySnapshot('other-client'), '--engagement', engagement, '--out', join(work, 'other-client-out')];
    },
    stderr: /other-client\.yaml at client: the engagement file names the client Contoso Dental Group and has no client\.tenantId, but the assessment is of Bare Tenant[^]*fix: .*add `tenantId: 0f0f0f0f-1111-4222-8333-444444444444` under `client:`/,
  },
  {
    // Regression: an empty folder was assessed as a clean tenant and exited 0 under --fail-on.
    name: 'empty snapshot folder',
    args: () => ['assess', scratch('empty-snapshot'), '--fail-on', 'low', '--out', join(work, 'empty-out')],
    stderr: /no resource files found in .*empty-snapshot[^]*fix: pass the folder that holds manifest\.json/,
  },
  { name: 'missing engagement file', args: () => ['assess', '--demo', '--engagement', join(work, 'nope.yaml')], stderr: /nope\.yaml: file not found/ },
];

for (const { name, args, stderr } of badInputs) {
  test(`bad input: ${name}`, async () => {
    const result = await runInProcess(...args());
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, stderr);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('input error leaves no output folder', async () => {
  const engagement = join(work, 'bad-engagement.yaml');
  writeFileSync(engagement, 'version: 1\nclient: {}\n');
  const out = join(work, 'never-created');
  const result = await runInProcess('assess', organizationOnlySnapshot('bad-engagement'), '--engagement', engagement, '--out', out);
  assert.equal(result.status, 2, result.stderr);
  assert.equal(existsSync(out), false);
});

test('engagement of another client leaves no output folder', async () => {
  // Regression: a failed assess left an empty --out folder behind.
  const engagement = join(work, 'wrong-client.yaml');
  writeFileSync(engagement, 'version: 2\nclient:\n  name: Someone Else\n');
  const out = join(work, 'never-created-2');
  const result = await runInProcess('assess', organizationOnlySnapshot('wrong-client'), '--engagement', engagement, '--out', out);
  assert.equal(result.status, 2, result.stderr);
  assert.equal(existsSync(out), false);
});

test('out folder without write permission exits 2', () => {
  // Regression: EACCES on --out was an internal error (exit 3). As root, permission bits do
  // not apply, so the CLI runs as the unprivileged account `nobody` (uid 65534) on a folder root owns.
  const root = process.getuid?.() === 0;
  const locked = mkdtempSync(join(tmpdir(), 'tokengap-locked-'));
  chmodSync(locked, root ? 0o755 : 0o500);
  try {
    const out = join(locked, 'reports');
    const result = spawnSync(process.execPath, [bin, 'assess', '--demo', '--out', out], { encoding: 'utf8', cwd: tmpdir(), ...(root ? { uid: 65534, gid: 65534 } : {}) });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`cannot write to the output folder ${locked}: permission denied \\(EACCES\\)`));
    assert.match(result.stderr, /fix: choose a folder you can write to with --out DIR/);
    assert.equal(existsSync(out), false);
  } finally {
    chmodSync(locked, 0o700);
    rmSync(locked, { recursive: true, force: true });
  }
});

test('out that is a file is left untouched', async () => {
  const file = join(work, 'untouched.html');
  writeFileSync(file, 'keep me');
  assert.equal((await runInProcess('assess', '--demo', '--out', file)).status, 2);
  assert.equal(readFileSync(file, 'utf8'), 'keep me');
});

test('help documents options and exit codes', () => {
  const result = runCli('assess', '--help');
  assert.equal(result.status, 0);
  for (const option of ['--demo', '--out <DIR>', '--engagement <FILE>', '--format <LIST>', '--fail-on <SEVERITY>', '--now <ISO>']) {
    assert.ok(result.stdout.includes(option), option);
  }
  // Commander wraps help at the terminal width, so compare with whitespace collapsed.
  assert.match(result.stdout.replace(/\s+/g, ' '), /1 findings at or above --fail-on, 2 usage or input error, 3 internal error/);
});
