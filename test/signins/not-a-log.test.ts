import assert from 'node:assert/strict';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { InputError } from '../../src/errors.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { listLogFolder } from '../../src/signins/files.js';
import { newReadStats, readSignIns, type InputFormat } from '../../src/signins/read.js';
import { checkManifestCount, reviewSnapshotSignIns } from '../../src/signins/review.js';
import { repoRoot } from '../helpers/shared.js';
import { graphSignIn, ndjson, tempDir, writeInput } from './fixtures.js';

const dir = tempDir();

async function readError(file: string, format: InputFormat = 'auto', skipBadRecords = false): Promise<InputError> {
  try {
    for await (const event of readSignIns([file], { format, skipBadRecords })) void event;
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the read to fail');
}

async function count(file: string): Promise<number> {
  let events = 0;
  for await (const event of readSignIns([file], {})) if (event) events++;
  return events;
}

describe('input that is not a sign-in log stops the read', () => {
  // Each of these used to read as an empty log: 0 sign-ins, "Alerts: none", exit 0.
  const cases: { name: string; file: string; content: string; format?: InputFormat; skipBadRecords?: boolean; message: RegExp; location: RegExp }[] = [
    { name: 'an HTML error page saved as .json', file: 'error-page.json', content: '<html><body>403 Forbidden</body></html>\n', message: /HTML or XML page/, location: /error-page\.json:1/ },
    { name: 'an HTML page after blank lines', file: 'error-page.ndjson', content: '\n\n  <!DOCTYPE html><html></html>', message: /HTML or XML page/, location: /error-page\.ndjson:3/ },
    { name: 'a one-line Graph error response', file: 'graph-error.json', content: '{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}\n', message: /API error response \(Authorization_RequestDenied: Insufficient privileges\)/, location: /graph-error\.json:1/ },
    { name: 'a Graph error response that hides escape codes', file: 'graph-error-esc.json', content: '{"error":{"code":"X","message":"\\u001b]0;pwned\\u0007"}}\n', message: /\\x1b\]0;pwned\\x07/, location: /graph-error-esc\.json:1/ },
    { name: 'a pretty-printed error object', file: 'graph-error-pretty.json', content: '{\n  "error": { "code": "Forbidden" }\n}\n', message: /API error response \(an `error` key\)/, location: /graph-error-pretty\.json:3/ },
    { name: 'one line of text read as a CSV header with no rows', file: 'note.csv', content: 'hello,world\n', message: /header \("hello", "world"\) has none of the columns/, location: /note\.csv:1/ },
    { name: 'a CSV of another table with rows, even with --skip-bad-records', file: 'devices.csv', content: 'DeviceName,OS\r\nPC1,Windows\r\n', skipBadRecords: true, message: /none of the columns of a sign-in or audit log/, location: /devices\.csv:1/ },
    { name: '--format csv on NDJSON (was an internal error: Invalid Opening Quote)', file: 'ndjson-as-csv.ndjson', content: ndjson([graphSignIn()]), format: 'csv', message: /the CSV is malformed: Invalid Opening Quote/, location: /ndjson-as-csv\.ndjson:1/ },
    { name: '--format csv on an HTML page', file: 'page.html', content: '<html>x</html>\n', format: 'csv', message: /none of the columns/, location: /page\.html:1/ },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const file = writeInput(dir, testCase.file, testCase.content);
      const error = await readError(file, testCase.format, testCase.skipBadRecords);
      assert.match(error.message, testCase.message);
      assert.match(error.message, testCase.location);
      assert.match(error.message, /expected /);
      assert.ok(error.fix, 'the error carries a fix');
      assert.ok(error.fix.length > 0, 'the fix is not empty');
      if (testCase.format === 'csv') assert.match(error.fix!, /--format/, 'the fix names the forced format');
    });
  }

  it('still reads empty exports that are logs', async () => {
    assert.equal(await count(writeInput(dir, 'empty-page.json', '{"value":[]}\n')), 0);
    assert.equal(await count(writeInput(dir, 'empty-array.json', '[]\n')), 0);
    assert.equal(await count(writeInput(dir, 'header-only.csv', 'TimeGenerated [UTC],CreatedDateTime [UTC],UserPrincipalName,Type\r\n')), 0);
  });

  it('a folder given as a file is an InputError, never EISDIR', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const error = await readError(folder);
    assert.match(error.message, /a-folder: this is a folder, not a log file/);
    assert.match(error.fix!, /--snapshot/);
  });
});

describe('manifest sign-in count', () => {
  it('warns when the files hold fewer records than manifest.json says', async () => {
    const snapshot = tempDir();
    mkdirSync(join(snapshot, 'signIns'));
    const file = writeInput(join(snapshot, 'signIns'), 'interactive.json', '{"value":[]}\n');
    const warnings: { file: string; message: string }[] = [];
    const result = await reviewSnapshotSignIns(
      { dir: snapshot, signInFiles: [file], resources: {}, manifest: { resources: { signIns: { count: 392 } } }, warnings },
      { engagement: null, now: new Date('2026-06-01T00:00:00Z'), enricher: false },
    );
    assert.deepEqual(result.summary.warnings?.length, 1);
    assert.match(result.summary.warnings![0]!, /manifest\.json records 392 sign-ins, but the files under signIns\/ hold 0 records/);
    assert.deepEqual(warnings.map((warning) => warning.file), [join(snapshot, 'manifest.json')]);
  });

  it('says nothing when the counts agree or the manifest has none', async () => {
    const file = writeInput(dir, 'two.ndjson', ndjson([graphSignIn({ id: 'a' }), graphSignIn({ id: 'b' })]));
    const stats = newReadStats();
    for await (const event of readSignIns([file], { stats })) void event;
    const summary = { files: stats.files } as Parameters<typeof checkManifestCount>[0];
    assert.equal(checkManifestCount(summary, 2), null);
    assert.equal(checkManifestCount(summary, undefined), null);
    assert.match(checkManifestCount(summary, 3) ?? '', /records 3 sign-ins, but .* hold 2 records/);
  });
});

describe('listing a signIns/ folder with symbolic links', () => {
  function snapshotWithLinks(): { root: string; signIns: string; outside: string } {
    const root = tempDir();
    const signIns = join(root, 'signIns');
    mkdirSync(signIns);
    writeFileSync(join(root, 'users.json'), '{"value":[]}');
    writeFileSync(join(signIns, 'interactive.ndjson'), ndjson([graphSignIn()]));
    const outside = tempDir();
    writeFileSync(join(outside, 'old.ndjson'), ndjson([graphSignIn({ id: 'old' })]));
    return { root, signIns, outside };
  }

  it('stops on loops, skips snapshot root', async () => {
    // Without these guards assess hung on a loop, or read users.json as a log.
    const { root, signIns } = snapshotWithLinks();
    symlinkSync('..', join(signIns, 'up'));
    symlinkSync('../signIns', join(signIns, 'self'));
    symlinkSync('../users.json', join(signIns, 'users-link.json'));
    const skipped: string[] = [];
    const files = await listLogFolder(signIns, { onSkip: (path) => skipped.push(path), snapshotRoot: root });
    assert.deepEqual(files, [join(signIns, 'interactive.ndjson')]);
    assert.deepEqual(skipped.sort(), [join(signIns, 'self'), join(signIns, 'up'), join(signIns, 'users-link.json')]);
  });

  it('reads a linked folder of logs once, however many links point to it', async () => {
    const { root, signIns, outside } = snapshotWithLinks();
    symlinkSync(outside, join(signIns, 'archive'));
    symlinkSync(outside, join(signIns, 'archive-again'));
    const skipped: string[] = [];
    const files = await listLogFolder(signIns, { onSkip: (path) => skipped.push(path), snapshotRoot: root });
    assert.deepEqual(files, [join(signIns, 'archive', 'old.ndjson'), join(signIns, 'interactive.ndjson')]);
    assert.deepEqual(skipped, [join(signIns, 'archive-again')]);
  });

  it('skips a link that loops on itself', async () => {
    const { root, signIns } = snapshotWithLinks();
    symlinkSync('ping', join(signIns, 'pong'));
    symlinkSync('pong', join(signIns, 'ping'));
    const skipped: string[] = [];
    const files = await listLogFolder(signIns, { onSkip: (path) => skipped.push(path), snapshotRoot: root });
    assert.deepEqual(files, [join(signIns, 'interactive.ndjson')]);
    assert.deepEqual(skipped.sort(), [join(signIns, 'ping'), join(signIns, 'pong')]);
  });

  it('the snapshot loader lists signIns/ the same way, so assess neither hangs on a loop nor reads the root', async () => {
    const snapshot = tempDir();
    cpSync(join(repoRoot, 'examples', 'demo-tenant'), snapshot, { recursive: true });
    symlinkSync('..', join(snapshot, 'signIns', 'up'));
    symlinkSync('../signIns', join(snapshot, 'signIns', 'self'));
    const loaded = await loadSnapshot(snapshot);
    assert.deepEqual(loaded.signInFiles, [join(snapshot, 'signIns', 'interactive.ndjson'), join(snapshot, 'signIns', 'non-interactive.ndjson')]);
    assert.deepEqual(
      loaded.warnings.filter((warning) => /link skipped/.test(warning.message)).map((warning) => warning.file),
      [join(snapshot, 'signIns', 'self'), join(snapshot, 'signIns', 'up')],
    );
  });
});
