import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { repoRoot } from '../helpers/shared.js';
import { graphSignIn, ndjson, tempDir, writeInput } from './fixtures.js';

const bin = join(repoRoot, 'bin', 'tokengap.js');
const demo = join(repoRoot, 'examples', 'demo-tenant');
const dir = tempDir();
chmodSync(dir, 0o755);

function runCli(args: string[], options: Pick<SpawnSyncOptions, 'uid' | 'gid'> = {}): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, 'signins', '--no-ip-database', '--no-progress', ...args], { encoding: 'utf8', timeout: 60_000, ...options });
}

function assertUserError(result: ReturnType<typeof runCli>, message: RegExp): void {
  assert.equal(result.status, 2, `exit 2 expected; stderr: ${result.stderr}`);
  assert.match(result.stderr, message);
  assert.match(result.stderr, /fix: /);
  assert.doesNotMatch(result.stderr, /internal error|EISDIR|\n\s+at /);
}

/** Copies the demo snapshot into this test file's temporary folder, for tests that change it. */
function demoCopy(name: string): string {
  const copy = join(dir, name);
  cpSync(demo, copy, { recursive: true });
  return copy;
}

describe('tokengap signins: folders and links', () => {
  it('folder as FILE exits 2, not EISDIR', () => {
    assertUserError(runCli([demo]), /demo-tenant: this is a folder, not a log file[\s\S]*fix: to review a tenant snapshot, run `tokengap signins --snapshot /);
  });

  it('--snapshot FILE says it is a file, instead of "not found"', () => {
    assertUserError(runCli(['--snapshot', join(demo, 'manifest.json')]), /manifest\.json is a file, not a snapshot folder/);
  });

  it('linked folder read once, loop ends', () => {
    // A symlinked folder under signIns/ once raised EISDIR, and a link back to the snapshot made assess hang.
    const snapshot = demoCopy('links');
    const archive = join(dir, 'archive');
    mkdirSync(archive);
    writeInput(archive, 'old.ndjson', ndjson([graphSignIn({ id: 'archived', userPrincipalName: 'archive@contoso.example', userId: 'archive-id' })]));
    symlinkSync(archive, join(snapshot, 'signIns', 'archive'));
    symlinkSync(archive, join(snapshot, 'signIns', 'archive-again'));
    symlinkSync('..', join(snapshot, 'signIns', 'up'));
    symlinkSync('../signIns', join(snapshot, 'signIns', 'self'));
    const result = runCli(['--snapshot', snapshot, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const summary = (JSON.parse(result.stdout) as { summary: { eventCount: number; files: { file: string }[]; warnings?: string[] } }).summary;
    assert.equal(summary.eventCount, 393, 'the demo 392 plus the archived sign-in, read once');
    assert.deepEqual(summary.files.map((file) => file.file.slice(snapshot.length + 1)).filter((file) => file.startsWith('signIns')), ['signIns/archive/old.ndjson', 'signIns/interactive.ndjson', 'signIns/non-interactive.ndjson']);
    for (const link of ['archive-again', 'self', 'up']) assert.match(result.stderr, new RegExp(`signIns/${link}: link skipped`));
    assert.match(summary.warnings?.join('\n') ?? '', /manifest\.json records 392 sign-ins, but the files under signIns\/ hold 393 records/);
  });
});

describe('tokengap signins: manifest count', () => {
  it('warns when signIns/ holds fewer records than manifest.json records (empty files passed silently)', () => {
    const snapshot = demoCopy('emptied');
    for (const name of ['interactive.ndjson', 'non-interactive.ndjson']) writeFileSync(join(snapshot, 'signIns', name), '{"value":[]}\n');
    const result = runCli(['--snapshot', snapshot]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /warning: manifest\.json records 392 sign-ins, but the files under signIns\/ hold 0 records/);
    assert.doesNotMatch(result.stdout, /lacks authenticationProtocol/);
  });
});

describe('tokengap signins --out', () => {
  it('--out FILE gives a fix about the sign-in review files, not report.html', () => {
    const file = writeInput(dir, 'not-a-folder.txt', 'x');
    const result = runCli([join(demo, 'signIns', 'interactive.ndjson'), '--out', file]);
    assertUserError(result, /not-a-folder\.txt is a file, not a folder/);
    assert.match(result.stderr, /alerts\.json/);
    assert.doesNotMatch(result.stderr, /report\.html/);
  });

  it('read-only --out folder exits 2, not EACCES', () => {
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly);
    // Root may write anywhere, so the command runs as the `nobody` user (uid 65534) when the tests run as root.
    const asRoot = process.getuid?.() === 0;
    chmodSync(readOnly, asRoot ? 0o755 : 0o500);
    const log = writeInput(dir, 'small.ndjson', ndjson([graphSignIn()]));
    chmodSync(log, 0o644);
    const result = runCli([log, '--out', join(readOnly, 'review')], asRoot ? { uid: 65534, gid: 65534 } : {});
    assertUserError(result, /cannot write to the output folder .*read-only|cannot write the sign-in review to .*read-only/);
    assert.match(result.stderr, /fix: give a folder for the sign-in review with --out DIR/);
  });
});

describe('tokengap signins --user', () => {
  it('prints the timeline of each user, as --help promises (it printed none)', () => {
    const result = runCli(['--snapshot', demo, '--user', 'kevin.osei@harborpoint.example']);
    assert.equal(result.status, 0, result.stderr);
    const timeline = result.stdout.slice(result.stdout.indexOf('Timeline of kevin.osei@harborpoint.example'));
    assert.match(timeline, /^Timeline of kevin\.osei@harborpoint\.example \(\d+ sign-ins\):\n {2}2026-11-/);
    assert.match(timeline, /deviceCode .*\[[^\]]*device-code-sign-in/);
    assert.match(timeline, /\[[^\]]*session-replay/);
  });

  it('says no sign-in matched an unknown user, instead of claiming authenticationProtocol is missing', () => {
    const result = runCli(['--snapshot', demo, '--user', 'nobody@x.example']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /No sign-in matched --user nobody@x\.example; the files hold 392 sign-ins of other users/);
    assert.doesNotMatch(result.stdout, /lacks authenticationProtocol/);
  });
});

describe('tokengap signins: terminal escaping', () => {
  it('control characters print as \\x escapes', () => {
    const esc = '\u001b';
    const log = writeInput(
      dir,
      'hostile.ndjson',
      ndjson([
        graphSignIn({
          id: `id-${esc}[2K`,
          userPrincipalName: `mallory${esc}[31m@contoso.example`,
          appDisplayName: `Outlook ${esc}]0;pwned\u0007`,
          appId: 'app-1',
          authenticationProtocol: 'deviceCode',
          userAgent: `python-requests/2.31 ${esc}[2J`,
          ipAddress: `203.0.113.9${esc}[1A`,
        }),
      ]),
    );
    // The user agent is not printed in text mode; it is in the input so the suspicious-user-agent alert fires.
    for (const extra of [[], ['--user', `mallory${esc}[31m@contoso.example`]]) {
      const result = runCli([log, ...extra]);
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(result.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, 'no control character reaches standard output');
      assert.match(result.stdout, /mallory\\x1b\[31m@contoso\.example/);
      assert.match(result.stdout, /Outlook \\x1b\]0;pwned\\x07/);
      assert.match(result.stdout, /first event id-\\x1b\[2K from 203\.0\.113\.9\\x1b\[1A/);
    }
  });
});
