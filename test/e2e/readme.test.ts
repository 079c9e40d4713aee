import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { repoRoot } from '../helpers/shared.js';

// Regression: the README's whatif example failed, its links pointed at missing docs, and
// it did not say which files assess writes.

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const bin = join(repoRoot, 'bin', 'tokengap.js');

test('README whatif example runs on the demo tenant', () => {
  const block = /npx tokengap (whatif (?:[^\n\\]|\\\n)*)/.exec(readme)?.[1];
  assert.ok(block, 'README has a whatif example');
  // The example names a placeholder snapshot and user; run it on the demo with a demo user.
  const args = block
    .replace(/\\\n/g, ' ')
    .replace('./snapshots/contoso', join(repoRoot, 'examples', 'demo-tenant'))
    .replace('kevin@contoso.example', 'kevin.osei@harborpoint.example')
    .split(/\s+/)
    .filter((part) => part !== '');
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});

test('README links point at existing docs', () => {
  for (const doc of ['docs/signins.md', 'docs/collect.md', 'docs/app-registration.md', 'docs/engagement-file.md']) {
    assert.ok(readme.includes(`(${doc})`), `README links ${doc}`);
  }
  for (const [, target] of readme.matchAll(/\]\(((?:docs|examples)\/[^)#]+)\)/g)) {
    assert.ok(existsSync(join(repoRoot, target!)), `README links missing ${target}`);
  }
});

test('README and assess --help name the files written', () => {
  const help = spawnSync(process.execPath, [bin, 'assess', '--help'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
  for (const file of ['report.html', 'report.md', 'report.json', 'deliverables.html', 'deliverables.md', 'deliverables.pdf', 'work-items.csv', 'client-message.txt']) {
    assert.ok(readme.includes(file), `README names ${file}`);
    assert.ok(help.includes(file), `assess --help names ${file}`);
  }
  assert.match(help, /the deliverables are not affected/);
});
