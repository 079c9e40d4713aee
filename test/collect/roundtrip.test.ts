import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { SnapshotFolder } from '../../src/collect/folder.js';
import { STATE_FILE } from '../../src/collect/signins.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { repoRoot } from '../helpers/shared.js';
import {
  FIXTURE_NOW,
  collectFromFake,
  filesUnder,
  normaliseSnapshot,
  readText,
  secretOf,
  startFake,
  writeFixtureSnapshot,
  type FakeFault,
} from './fake-tenant.js';

const TENANT_A = 'aaaa1111-0000-4000-8000-000000000001';
const TENANT_B = 'bbbb2222-0000-4000-8000-000000000002';
const WINDOW = { from: new Date(FIXTURE_NOW.getTime() - 30 * 86_400_000), to: FIXTURE_NOW };

let work: string;
let fixtureA: string;
let fixtureB: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'tokengap-collect-'));
  fixtureA = join(work, 'fixture-a');
  fixtureB = join(work, 'fixture-b');
  writeFixtureSnapshot(fixtureA, { tenantId: TENANT_A, name: 'Alpha', users: 1_100, bigGroupMembers: 1_200, interactiveSignIns: 1_500, nonInteractiveSignIns: 700 });
  writeFixtureSnapshot(fixtureB, { tenantId: TENANT_B, name: 'Bravo', users: 240, bigGroupMembers: 30, interactiveSignIns: 300, nonInteractiveSignIns: 120 });
});

after(() => rmSync(work, { recursive: true, force: true }));

/** Asserts that the collected snapshot contains the same items as the served one, resource by resource. */
function assertSameItems(collectedDir: string, servedDir: string): void {
  const expected = normaliseSnapshot(servedDir, WINDOW);
  const actual = normaliseSnapshot(collectedDir);
  for (const [resource, items] of Object.entries(expected.items)) {
    assert.equal(actual.statuses[resource], 'collected', `${resource} should be collected`);
    assert.equal(actual.items[resource]?.length, items.length, `${resource}: item count`);
    assert.deepEqual(actual.items[resource], items, `${resource}: items`);
  }
  const extra = Object.keys(actual.items).filter((resource) => !(resource in expected.items));
  assert.deepEqual(extra, [], 'resources collected that the served snapshot does not have');
}

describe('collect round trip through the fake Graph server', () => {
  test('fixture snapshot comes back equal', async () => {
    const server = await startFake([fixtureA]);
    try {
      const out = join(work, 'plain');
      const result = await collectFromFake(server, TENANT_A, out);
      assertSameItems(out, fixtureA);
      assert.equal(result.manifest.tenantName, 'Alpha');
      assert.deepEqual(result.manifest.fields['users.signInActivity'], { status: 'collected' });
      assert.equal(result.stats.retries, 0);
      // 45 groups fill 3 batches; the big group's second page of members needs a fourth.
      assert.equal(server.stats.batchRequests, 4);
      assert.ok(server.stats.log.every((entry) => entry.prefer === 'include-unknown-enum-members'), 'Prefer header on every request');
      const signInRequests = server.stats.log.filter((entry) => entry.path.startsWith('/auditLogs/signIns'));
      assert.equal(signInRequests.length, 3);
      assert.ok(signInRequests.every((entry) => /(\$|%24)top=1000/.test(entry.path)));
      // The minimum the page sizes allow: users 3 pages of 500 (signInActivity), groups 1, 4 batches,
      // sign-ins 2 + 1 pages, and one page, object or refusal for each of the other 21 endpoints.
      assert.equal(result.stats.requests, 3 + 1 + 4 + 3 + 21);
      assert.equal(server.stats.graphRequests, result.stats.requests);

      const loaded = await loadSnapshot(out);
      assert.deepEqual(loaded.warnings, []);
      assert.equal(loaded.resources.users?.length, 1_100);
      assert.equal(loaded.signInFiles.length, 2);
      assert.equal(loaded.statusOf('users', 'signInActivity').status, 'collected');
      assert.equal(loaded.statusOf('servicePrincipals').status, 'forbidden');
      // The big group lists 1,200 member references, which cycle over the 1,100 users.
      const bigGroup = Object.keys(loaded.resources.groupMembers ?? {})[0]!;
      assert.equal(loaded.directory.transitiveUsersOf(bigGroup).size, 1_100);
    } finally {
      await server.close();
    }
  });

  test('demo tenant comes back equal', { skip: existsSync(join(repoRoot, 'examples', 'demo-tenant', 'manifest.json')) ? false : 'examples/demo-tenant is not present' }, async () => {
    const demo = join(repoRoot, 'examples', 'demo-tenant');
    const manifest = JSON.parse(readFileSync(join(demo, 'manifest.json'), 'utf8')) as { tenantId: string; collectedAt: string };
    const server = await startFake([demo]);
    try {
      const out = join(work, 'demo');
      const now = new Date(manifest.collectedAt);
      const result = await collectFromFake(server, manifest.tenantId, out, { now });
      const expected = normaliseSnapshot(demo, { from: new Date(now.getTime() - 30 * 86_400_000), to: now });
      const actual = normaliseSnapshot(out);
      for (const [resource, items] of Object.entries(expected.items)) assert.deepEqual(actual.items[resource], items, `${resource}: items`);
      for (const [resource, status] of Object.entries(expected.statuses)) {
        assert.equal(result.manifest.resources[resource as 'users']?.status, status, `${resource}: status`);
      }
    } finally {
      await server.close();
    }
  });

  const faults: [string, FakeFault[], (result: Awaited<ReturnType<typeof collectFromFake>>) => void][] = [
    ['429 with Retry-After seconds', [{ kind: 'throttle', match: '/users', after: 1, retryAfter: 7 }], (r) => assert.ok(r.clock.sleeps.includes(7_000))],
    ['429 with Retry-After date', [{ kind: 'throttle', match: '/devices', retryAfter: 'date' }], (r) => assert.ok(r.clock.sleeps.some((ms) => ms >= 1_000 && ms <= 5_000), `sleeps: ${r.clock.sleeps}`)],
    ['503 without Retry-After', [{ kind: 'unavailable', match: '/auditLogs/signIns', after: 1, times: 2 }], (r) => assert.equal(r.stats.retries, 2)],
    ['504 gateway timeout', [{ kind: 'gatewayTimeout', match: '/groups' }], (r) => assert.equal(r.stats.retries, 1)],
    ['slow response past the timeout', [{ kind: 'slow', match: '/organization', delayMs: 1_500 }], (r) => assert.equal(r.stats.transportFailures, 1)],
    ['connection reset', [{ kind: 'reset', match: '/auditLogs/signIns', after: 1 }], (r) => assert.equal(r.stats.transportFailures, 1)],
    ['truncated body', [{ kind: 'truncate', match: '/users', after: 1 }], (r) => assert.equal(r.stats.transportFailures, 1)],
    ['truncated body framed as complete', [{ kind: 'truncate', match: '/auditLogs/signIns', after: 1, framed: true }], (r) => assert.equal(r.stats.transportFailures, 1)],
    ['429 inside a batch', [{ kind: 'throttle', inBatch: true, after: 3, times: 5, retryAfter: 2 }], (r) => assert.equal(r.stats.throttled, 5)],
    ['token expiring mid-run', [{ kind: 'expireToken', after: 6 }], (r) => assert.ok(r.stats.tokenRefreshes >= 1)],
  ];
  for (const [name, faultList, check] of faults) {
    test(`survives ${name}`, async () => {
      const server = await startFake([fixtureA], { faults: faultList });
      try {
        const out = join(work, `fault-${name.replace(/\W+/g, '-')}`);
        // Only the slow fault needs a short timeout; a loaded machine must not time out the others.
        const result = await collectFromFake(server, TENANT_A, out, { timeoutMs: faultList[0]!.kind === 'slow' ? 1_000 : 10_000 });
        assert.ok(Object.values(server.stats.faultsFired).reduce((a, b) => a + (b ?? 0), 0) > 0, 'the fault fired');
        assertSameItems(out, fixtureA);
        check(result);
      } finally {
        await server.close();
      }
    });
  }

  test('survives every fault mixed', async () => {
    const mixed: FakeFault[] = [
      { kind: 'throttle', match: '/auditLogs/signIns', after: 1, times: 2, retryAfter: 3 },
      { kind: 'reset', match: '/users', after: 1 },
      { kind: 'truncate', match: '/auditLogs/signIns', after: 2 },
      { kind: 'unavailable', match: '/groups', retryAfter: 1 },
      { kind: 'gatewayTimeout', match: '/devices' },
      { kind: 'throttle', inBatch: true, times: 3, retryAfter: 'date' },
      { kind: 'slow', match: '/policies', delayMs: 1_500 },
      { kind: 'expireToken', after: 10 },
    ];
    const server = await startFake([fixtureA], { faults: mixed });
    try {
      const out = join(work, 'mixed');
      const result = await collectFromFake(server, TENANT_A, out, { timeoutMs: 1_000 });
      assertSameItems(out, fixtureA);
      assert.deepEqual(Object.keys(server.stats.faultsFired).sort(), ['expireToken', 'gatewayTimeout', 'reset', 'slow', 'throttle', 'truncate', 'unavailable']);
      assert.ok(result.stats.retries >= 9, `retries: ${result.stats.retries}`);
    } finally {
      await server.close();
    }
  });
});

describe('collect manifest statuses', () => {
  test('no Entra ID P1: sign-ins unlicensed, users read without signInActivity', async () => {
    const dir = join(work, 'no-p1');
    writeFixtureSnapshot(dir, {
      tenantId: TENANT_A, name: 'Alpha', users: 1_100, bigGroupMembers: 3, interactiveSignIns: 5, nonInteractiveSignIns: 5,
      manifest: { resources: { signIns: { status: 'unlicensed', license: 'Entra ID P1' } }, fields: { 'users.signInActivity': { status: 'unlicensed', license: 'Entra ID P1' } } },
    });
    const server = await startFake([dir]);
    try {
      const out = join(work, 'no-p1-out');
      const result = await collectFromFake(server, TENANT_A, out);
      const signIns = result.manifest.resources.signIns!;
      assert.equal(signIns.status, 'unlicensed');
      assert.equal(signIns.license, 'Entra ID P1');
      assert.equal(signIns.error?.code, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant');
      assert.match(signIns.requestId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(existsSync(join(out, 'signIns')), false, 'no sign-in folder for an unlicensed resource');
      assert.equal(result.manifest.fields['users.signInActivity']?.status, 'unlicensed');
      assert.equal(result.manifest.resources.users?.status, 'collected');
      assert.equal(result.manifest.resources.users?.count, 1_100);
      const users = JSON.parse(readFileSync(join(out, 'users.json'), 'utf8')) as { value: Record<string, unknown>[] };
      assert.ok(users.value.every((user) => !('signInActivity' in user)));
      const userPages = server.stats.log.filter((entry) => entry.path.startsWith('/users') && entry.status === 200);
      assert.equal(userPages.length, 2, 'users re-read at 999 per page');
    } finally {
      await server.close();
    }
  });

  test('forbidden, unlicensed Intune and failed reads are named', async () => {
    const dir = join(work, 'refusals');
    writeFixtureSnapshot(dir, {
      tenantId: TENANT_A, name: 'Alpha', users: 10, bigGroupMembers: 3, interactiveSignIns: 5, nonInteractiveSignIns: 5,
      manifest: { resources: { managedDevices: { status: 'unlicensed', license: 'Microsoft Intune' }, devices: { status: 'failed' } } },
    });
    const server = await startFake([dir], { faults: [{ kind: 'forbidden', match: '/identity/conditionalAccess/policies' }] });
    try {
      const result = await collectFromFake(server, TENANT_A, join(work, 'refusals-out'));
      const { resources } = result.manifest;
      assert.equal(resources.conditionalAccessPolicies?.status, 'forbidden');
      assert.equal(resources.conditionalAccessPolicies?.permission, 'Policy.Read.All');
      assert.equal(resources.managedDevices?.status, 'unlicensed');
      assert.equal(resources.managedDevices?.license, 'Microsoft Intune');
      assert.equal(resources.devices?.status, 'failed');
      assert.equal(resources.devices?.error?.httpStatus, 500);
      assert.equal(resources.devices?.error?.code, 'generalException');
      assert.ok(resources.devices?.requestId);
      assert.equal(resources.servicePrincipals?.status, 'forbidden', 'absent from the served snapshot');
      assert.equal(resources.servicePrincipals?.permission, 'Application.Read.All');
      assert.equal(existsSync(join(work, 'refusals-out', 'devices.json')), false);
    } finally {
      await server.close();
    }
  });

  test('users refused as a whole keep no field status', async () => {
    const server = await startFake([fixtureB], { faults: [{ kind: 'forbidden', match: '/users', times: 2 }] });
    try {
      const result = await collectFromFake(server, TENANT_B, join(work, 'no-users'), { resources: ['users'] });
      assert.equal(result.manifest.resources.users?.status, 'forbidden');
      assert.equal(result.manifest.resources.users?.permission, 'User.Read.All');
      assert.equal(result.manifest.fields['users.signInActivity'], undefined);
    } finally {
      await server.close();
    }
  });

  test('noPremium fault on sign-ins is unlicensed', async () => {
    const server = await startFake([fixtureB], { faults: [{ kind: 'noPremium', match: '/auditLogs/signIns', times: 2 }] });
    try {
      const result = await collectFromFake(server, TENANT_B, join(work, 'no-premium-fault'), { resources: ['signIns'] });
      assert.equal(result.manifest.resources.signIns?.status, 'unlicensed');
      assert.equal(result.manifest.resources.signIns?.license, 'Entra ID P1');
    } finally {
      await server.close();
    }
  });

  test('--resources limits the reads', async () => {
    const server = await startFake([fixtureB]);
    try {
      const result = await collectFromFake(server, TENANT_B, join(work, 'only-users'), { resources: ['users', 'groupMembers'] });
      assert.deepEqual(Object.keys(result.manifest.resources).sort(), ['groupMembers', 'users']);
      assert.ok(server.stats.log.every((entry) => !entry.path.startsWith('/auditLogs')));
    } finally {
      await server.close();
    }
  });
});

describe('collect resume and isolation', () => {
  test('interrupted sign-in collection resumes without loss or duplicates', async () => {
    const server = await startFake([fixtureA]);
    const out = join(work, 'resumed');
    try {
      let pages = 0;
      await assert.rejects(
        collectFromFake(server, TENANT_A, out, {
          resources: ['signIns'],
          onProgress: (event) => {
            if (event.resource === 'signIns' && ++pages === 2) throw new Error('simulated crash');
          },
        }),
        /simulated crash/,
      );
      const partial = SnapshotFolder.partialPathOf(out);
      assert.ok(existsSync(join(partial, STATE_FILE)), 'state saved in the partial folder');
      assert.equal(existsSync(out), false, 'no final folder after a crash');
      // A crash in the middle of a write leaves half a line behind.
      appendFileSync(join(partial, 'signIns', 'interactive.ndjson'), '{"id":"half-writ');

      const before = server.stats.log.length;
      const result = await collectFromFake(server, TENANT_A, out, { resources: ['signIns'] });
      assert.equal(result.resumed, true);
      assert.ok(server.stats.log.slice(before).some((entry) => /createdDateTime(%20|\+)le(%20|\+)2026-11-30T11/.test(entry.path) || entry.path.includes('le')), 'resumed with an upper date bound');
      const expected = normaliseSnapshot(fixtureA, WINDOW).items.signIns!;
      const actual = normaliseSnapshot(out).items.signIns!;
      assert.equal(actual.length, expected.length);
      assert.deepEqual(actual, expected);
      assert.equal(existsSync(join(out, STATE_FILE)), false, 'state file removed when complete');
    } finally {
      await server.close();
    }
  });

  test('two tenants at once never mix', async () => {
    const server = await startFake([fixtureA, fixtureB], { faults: [{ kind: 'throttle', match: '/users', times: 2, retryAfter: 1 }] });
    try {
      const [a, b] = await Promise.all([
        collectFromFake(server, TENANT_A, join(work, 'both-a')),
        collectFromFake(server, TENANT_B, join(work, 'both-b')),
      ]);
      assertSameItems(join(work, 'both-a'), fixtureA);
      assertSameItems(join(work, 'both-b'), fixtureB);
      assert.equal(a.manifest.tenantId, TENANT_A);
      assert.equal(b.manifest.tenantId, TENANT_B);
      assert.ok(!readText(join(work, 'both-a', 'users.json')).includes('Bravo'));
      assert.ok(!readText(join(work, 'both-b', 'users.json')).includes('Alpha'));
      assert.equal(server.stats.tokenRequests, 2, 'one token per tenant');
    } finally {
      await server.close();
    }
  });

  test('secrets and tokens stay out of logs and files; files are owner-only', async () => {
    const server = await startFake([fixtureB], { faults: [{ kind: 'expireToken', after: 2 }, { kind: 'throttle', match: '/users' }] });
    try {
      const out = join(work, 'scan');
      const result = await collectFromFake(server, TENANT_B, out);
      const tokens = server.issuedTokens();
      assert.equal(tokens.length, 2, 'a second token after expiry');
      const haystacks = [result.logText(), ...filesUnder(out).filter((path) => statSync(path).isFile()).map(readText)];
      assert.ok(result.logText().includes('Graph request'), 'the log was captured');
      for (const text of haystacks) {
        assert.ok(!text.includes(secretOf(TENANT_B)), 'client secret leaked');
        for (const token of tokens) assert.ok(!text.includes(token), 'access token leaked');
        assert.ok(!/bearer /i.test(text), 'authorization header leaked');
      }
      for (const path of [out, ...filesUnder(out)]) {
        const mode = statSync(path).mode & 0o777;
        assert.equal(mode & 0o077, 0, `${path} is readable by others (mode ${mode.toString(8)})`);
      }
    } finally {
      await server.close();
    }
  });
});
