import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import type { CheckResult, EvidenceObject } from '../../src/checks/types.js';
import { addEvidencePaths } from '../../src/report/evidence-paths.js';
import { createSnapshot } from '../../src/snapshot/snapshot.js';
import type { Snapshot } from '../../src/snapshot/types.js';

const work = mkdtempSync(join(tmpdir(), 'tokengap-evidence-'));
after(() => rmSync(work, { recursive: true, force: true }));

function snapshotWith(name: string, files: Record<string, unknown>, resource: 'users' | 'conditionalAccessPolicies'): Snapshot {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const [file, content] of Object.entries(files)) {
    const path = join(dir, file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, JSON.stringify(content));
    paths.push(path);
  }
  return createSnapshot({
    dir,
    manifest: { schemaVersion: 1, tenantId: null, tenantName: null, collectedAt: null, toolVersion: null, resources: {}, fields: {} },
    resources: {},
    sources: { [resource]: paths },
  });
}

function resultNaming(objects: EvidenceObject[]): CheckResult {
  return {
    checkId: 'c',
    area: 'conditional-access',
    title: 't',
    severity: 'high',
    state: 'fail',
    summary: 's',
    findings: [{ key: 'c:1', checkId: 'c', severity: 'high', messageId: 'm', data: {}, text: 't', clientText: 'c', objects }],
  };
}

const user = (id: string): EvidenceObject => ({ type: 'user', id, displayName: id });
const policy = (id: string): EvidenceObject => ({ type: 'conditionalAccessPolicy', id, displayName: id });

const cases: { name: string; files: Record<string, unknown>; resource: 'users' | 'conditionalAccessPolicies'; objects: EvidenceObject[]; expected: (string | undefined)[]; maxBytes?: number }[] = [
  { name: 'graph page', files: { 'users.json': { value: [{ id: 'a' }, { id: 'B' }] } }, resource: 'users', objects: [user('b')], expected: ['users.json#/value/1'] },
  { name: 'bare array', files: { 'users.json': [{ id: 'a' }, { id: 'b' }] }, resource: 'users', objects: [user('a')], expected: ['users.json#/0'] },
  {
    name: 'folder of single objects',
    files: { 'conditionalAccessPolicies/one.json': { id: 'p1' }, 'conditionalAccessPolicies/two.json': { id: 'p2' } },
    resource: 'conditionalAccessPolicies',
    objects: [policy('p2')],
    expected: ['conditionalAccessPolicies/two.json#'],
  },
  {
    name: 'duplicate id keeps first',
    files: { 'conditionalAccessPolicies/a.json': [{ id: 'p1' }], 'conditionalAccessPolicies/b.json': [{ id: 'p1' }] },
    resource: 'conditionalAccessPolicies',
    objects: [policy('p1')],
    expected: ['conditionalAccessPolicies/a.json#/0'],
  },
  { name: 'powershell Id spelling', files: { 'users.json': [{ Id: 'a' }] }, resource: 'users', objects: [user('a')], expected: ['users.json#/0'] },
  { name: 'unknown id gets no path', files: { 'users.json': { value: [{ id: 'a' }] } }, resource: 'users', objects: [user('zzz')], expected: [undefined] },
  { name: 'type without resource', files: { 'users.json': { value: [{ id: 'a' }] } }, resource: 'users', objects: [{ type: 'directoryRole', id: 'a', displayName: null }], expected: [undefined] },
  { name: 'large file names file only', files: { 'users.json': { value: [{ id: 'a' }] } }, resource: 'users', objects: [user('a')], expected: ['users.json'], maxBytes: 5 },
];

for (const { name, files, resource, objects, expected, maxBytes } of cases) {
  test(`evidence path: ${name}`, async () => {
    const snapshot = snapshotWith(name.replace(/\W+/g, '-'), files, resource);
    const results = [resultNaming(objects)];
    await addEvidencePaths(results, snapshot, maxBytes);
    assert.deepEqual(results[0]!.findings[0]!.objects.map((object) => object.path), expected);
  });
}

test('existing path is kept', async () => {
  const snapshot = snapshotWith('existing', { 'users.json': { value: [{ id: 'a' }] } }, 'users');
  const results = [resultNaming([{ ...user('a'), path: 'elsewhere.json#/9' }])];
  await addEvidencePaths(results, snapshot);
  assert.equal(results[0]!.findings[0]!.objects[0]!.path, 'elsewhere.json#/9');
});
