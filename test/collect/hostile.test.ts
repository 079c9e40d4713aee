import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { SnapshotFolder } from '../../src/collect/folder.js';
import { UserError } from '../../src/errors.js';
import { parseFaultSpec } from '../../src/graph/fake/faults.js';
import { FakeGraphServer } from '../../src/graph/fake/server.js';
import { DEFAULT_RETRY_POLICY } from '../../src/graph/retry.js';
import type { SnapshotManifest } from '../../src/snapshot/types.js';
import { collectFromFake, startFake, writeFixtureSnapshot, type FakeFault } from './fake-tenant.js';

const TENANT_A = 'aaaa5555-0000-4000-8000-000000000005';
const TENANT_B = 'bbbb6666-0000-4000-8000-000000000006';

let work: string;
let fixtureA: string;
let fixtureB: string;
let counter = 0;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'tokengap-hostile-'));
  fixtureA = join(work, 'fixture-a');
  fixtureB = join(work, 'fixture-b');
  writeFixtureSnapshot(fixtureA, { tenantId: TENANT_A, name: 'Alpha', users: 60, bigGroupMembers: 10, interactiveSignIns: 40, nonInteractiveSignIns: 20 });
  writeFixtureSnapshot(fixtureB, { tenantId: TENANT_B, name: 'Bravo', users: 30, bigGroupMembers: 5, interactiveSignIns: 20, nonInteractiveSignIns: 10 });
});

after(() => rmSync(work, { recursive: true, force: true }));

function outDir(): string {
  return join(work, `out-${++counter}`);
}

function manifestOf(dir: string): SnapshotManifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as SnapshotManifest;
}

/** Collects devices, organization and authorizationPolicy from tenant A with the given faults. */
async function collectWithFaults(faults: FakeFault[], extra: Parameters<typeof collectFromFake>[3] = {}) {
  const server = await startFake([fixtureA], { faults });
  const out = outDir();
  try {
    const result = await collectFromFake(server, TENANT_A, out, { resources: ['devices', 'organization', 'authorizationPolicy'], ...extra });
    return { server, out, result, manifest: manifestOf(out) };
  } finally {
    await server.close();
  }
}

describe('collect against a hostile Graph server', () => {
  test('fake server parses the hostile fault options', () => {
    assert.deepEqual(parseFaultSpec('foreignNextLink,match=/devices,origin=https://127.0.0.1:9'), { kind: 'foreignNextLink', match: '/devices', origin: 'https://127.0.0.1:9' });
    assert.deepEqual(parseFaultSpec('oversized,bytes=2048'), { kind: 'oversized', bytes: 2048 });
    assert.deepEqual(parseFaultSpec('deepJson,depth=500,times=always'), { kind: 'deepJson', depth: 500, times: Number.POSITIVE_INFINITY });
  });

  test('a nextLink to another origin is refused and the token never leaves', async () => {
    // Another HTTPS server on the same address, another port: a different origin.
    const foreign = new FakeGraphServer({ tenants: [] });
    await foreign.start();
    try {
      const { out, manifest } = await collectWithFaults([{ kind: 'foreignNextLink', match: '/devices', origin: foreign.url }]);
      const devices = manifest.resources.devices!;
      assert.equal(devices.status, 'failed');
      assert.equal(devices.error?.code, 'foreignOrigin');
      assert.match(devices.error?.message ?? '', new RegExp(foreign.url.replace(/[.:/]/g, '\\$&')));
      assert.equal(foreign.stats.graphRequests, 0, 'no request reached the foreign origin');
      assert.equal(existsSync(join(out, 'devices.json')), false, 'no file for a failed resource');
      assert.equal(manifest.resources.organization?.status, 'collected');
    } finally {
      await foreign.close();
    }
  });

  test('an http:// nextLink is refused as another origin, not sent to Graph', async () => {
    const { server, manifest } = await collectWithFaults([{ kind: 'httpNextLink', match: '/devices' }]);
    assert.equal(manifest.resources.devices?.status, 'failed');
    assert.equal(manifest.resources.devices?.error?.code, 'foreignOrigin');
    assert.match(manifest.resources.devices?.error?.message ?? '', /http:\/\/127\.0\.0\.1/);
    assert.equal(server.stats.log.filter((entry) => entry.path.startsWith('/devices')).length, 1, 'only the first page was requested');
  });

  for (const kind of ['foreignNextLink', 'loopNextLink'] as const) {
    test(`group members: ${kind} in a batch member fails groupMembers`, async () => {
      const server = await startFake([fixtureA], { faults: [{ kind, match: '/members', inBatch: true, origin: 'https://127.0.0.1:9', times: Number.POSITIVE_INFINITY }] });
      const out = outDir();
      try {
        await collectFromFake(server, TENANT_A, out, { resources: ['groups', 'groupMembers'] });
        const manifest = manifestOf(out);
        assert.equal(manifest.resources.groupMembers?.status, 'failed');
        assert.equal(manifest.resources.groupMembers?.error?.code, kind === 'foreignNextLink' ? 'foreignOrigin' : 'nextLinkLoop');
        assert.equal(manifest.resources.groups?.status, 'collected');
        assert.equal(existsSync(join(out, 'groupMembers.json')), false);
      } finally {
        await server.close();
      }
    });
  }

  test('a nextLink loop fails the resource after the repeated link', async () => {
    const { server, manifest } = await collectWithFaults([{ kind: 'loopNextLink', match: '/devices', times: Number.POSITIVE_INFINITY }]);
    assert.equal(manifest.resources.devices?.status, 'failed');
    assert.equal(manifest.resources.devices?.error?.code, 'nextLinkLoop');
    assert.ok(server.stats.log.filter((entry) => entry.path.startsWith('/devices')).length <= 2);
  });

  test('an oversized body fails only that resource', async () => {
    const { manifest } = await collectWithFaults([{ kind: 'oversized', match: '/devices', bytes: 200_000 }], { maxBodyBytes: 100_000 });
    assert.equal(manifest.resources.devices?.status, 'failed');
    assert.equal(manifest.resources.devices?.error?.code, 'tooLarge');
    assert.equal(manifest.resources.organization?.status, 'collected');
  });

  test('deeply nested JSON fails only that resource', async () => {
    const { manifest } = await collectWithFaults([{ kind: 'deepJson', match: '/devices', depth: 100_000 }]);
    assert.equal(manifest.resources.devices?.status, 'failed');
    assert.equal(manifest.resources.devices?.error?.code, 'tooDeep');
    assert.equal(manifest.resources.authorizationPolicy?.status, 'collected');
  });

  test('HTML singleton fails as non-JSON', async () => {
    const { out, manifest } = await collectWithFaults([{ kind: 'html', match: '/policies/authorizationPolicy' }]);
    const policy = manifest.resources.authorizationPolicy!;
    assert.equal(policy.status, 'failed');
    assert.equal(policy.error?.code, 'nonJson');
    assert.match(policy.error?.message ?? '', /non-JSON response \(text\/html\)/);
    assert.equal(existsSync(join(out, 'authorizationPolicy.json')), false);
  });

  test('page items that are not objects fail the resource', async () => {
    const { manifest } = await collectWithFaults([{ kind: 'nonObjectItems', match: '/devices' }]);
    assert.equal(manifest.resources.devices?.status, 'failed');
    assert.equal(manifest.resources.devices?.error?.code, 'unexpectedShape');
  });

  test('HTML labelled application/json is non-JSON and not retried as truncated', async () => {
    const { server, manifest, result } = await collectWithFaults([{ kind: 'htmlAsJson', match: '/devices', times: Number.POSITIVE_INFINITY }]);
    assert.equal(manifest.resources.devices?.error?.code, 'nonJson');
    assert.equal(server.stats.log.filter((entry) => entry.path.startsWith('/devices')).length, 1, 'sent once');
    assert.equal(result.clock.slept, 0);
  });

  test('an absurd Retry-After fails the request at once and logs the value sent', async () => {
    const { manifest, result } = await collectWithFaults([{ kind: 'throttle', match: '/devices', retryAfter: 315_360_000, times: Number.POSITIVE_INFINITY }]);
    assert.equal(manifest.resources.devices?.status, 'failed');
    assert.equal(manifest.resources.devices?.error?.httpStatus, 429);
    assert.equal(result.clock.slept, 0, 'no wait at all');
    assert.match(result.logText(), /"retryAfter":"315360000"/);
    assert.equal(manifest.resources.organization?.status, 'collected');
  });

  test('retry waits stop at the resource budget', async () => {
    const { manifest, result } = await collectWithFaults([{ kind: 'throttle', match: '/devices', retryAfter: 200, times: Number.POSITIVE_INFINITY }], {
      retry: { ...DEFAULT_RETRY_POLICY, random: () => 0.5, resourceBudgetMs: 500_000 },
    });
    assert.equal(manifest.resources.devices?.status, 'failed');
    assert.equal(result.clock.slept, 400_000, 'two waits of 200 s fit the budget of 500 s, a third does not');
  });

  test('batch member retries stop at the resource budget', async () => {
    const server = await startFake([fixtureA], { faults: [{ kind: 'throttle', match: '/members', inBatch: true, retryAfter: 200, times: Number.POSITIVE_INFINITY }] });
    const out = outDir();
    try {
      const result = await collectFromFake(server, TENANT_A, out, { resources: ['groups', 'groupMembers'], retry: { ...DEFAULT_RETRY_POLICY, random: () => 0.5, resourceBudgetMs: 500_000 } });
      const manifest = manifestOf(out);
      assert.equal(manifest.resources.groupMembers?.status, 'failed');
      assert.equal(manifest.resources.groupMembers?.error?.httpStatus, 429);
      assert.equal(result.clock.slept, 400_000, 'two rounds of 200 s fit the budget of 500 s, a third does not');
    } finally {
      await server.close();
    }
  });

  test('a token still rejected after a refresh fails the tenant', async () => {
    const server = await startFake([fixtureA], { faults: [{ kind: 'expireToken', match: '/devices', times: Number.POSITIVE_INFINITY }] });
    const out = outDir();
    try {
      await assert.rejects(collectFromFake(server, TENANT_A, out, { resources: ['devices'] }), (error: unknown) => error instanceof UserError && /rejected the access token/.test(error.message));
      assert.equal(existsSync(out), false, 'no snapshot');
      assert.equal(existsSync(SnapshotFolder.lockPathOf(out)), false, 'lock released');
    } finally {
      await server.close();
    }
  });
});

describe('collect names network failures instead of blaming credentials', () => {
  test('a refused connection to the authority', async () => {
    // A port that was just free: nothing listens there once the server closes.
    const probe = new FakeGraphServer({ tenants: [] });
    await probe.start();
    const closed = probe.url;
    await probe.close();
    const server = await startFake([fixtureA]);
    try {
      await assert.rejects(
        collectFromFake(server, TENANT_A, outDir(), { authorityHost: closed, graphBaseUrl: closed, resources: ['devices'] }),
        (error: unknown) => error instanceof UserError && /connection was refused/.test(error.message) && !/secret/.test(error.fix ?? ''),
      );
    } finally {
      await server.close();
    }
  });

  test('an untrusted certificate on the authority', async () => {
    const server = await startFake([fixtureA]);
    try {
      await assert.rejects(
        collectFromFake(server, TENANT_A, outDir(), { ca: undefined, resources: ['devices'] }),
        (error: unknown) => error instanceof UserError && /certificate of 127\.0\.0\.1:\d+ is not trusted/.test(error.message) && /NODE_EXTRA_CA_CERTS/.test(error.fix ?? ''),
      );
    } finally {
      await server.close();
    }
  });
});

describe('collect partial folders and locks', () => {
  /** Starts a collection of tenant A that crashes after its first resource, leaving a partial folder. */
  async function crashAfterFirstResource(server: FakeGraphServer, out: string, extra: Parameters<typeof collectFromFake>[3] = {}): Promise<void> {
    await assert.rejects(
      collectFromFake(server, TENANT_A, out, {
        resources: ['devices', 'organization'],
        concurrency: 1,
        onProgress: (event) => {
          if (event.resource === 'devices') throw new Error('simulated crash');
        },
        ...extra,
      }),
      /simulated crash/,
    );
    assert.ok(existsSync(join(SnapshotFolder.partialPathOf(out), 'organization.json')), 'organization written before the crash');
  }

  test('a partial folder of another tenant is refused, never merged', async () => {
    const server = await startFake([fixtureA, fixtureB]);
    const out = outDir();
    try {
      await crashAfterFirstResource(server, out);
      await assert.rejects(
        collectFromFake(server, TENANT_B, out, { resources: ['devices', 'organization'] }),
        (error: unknown) => error instanceof UserError && error.message.includes(`belongs to tenant ${TENANT_A}`) && /delete the partial folder/.test(error.fix ?? ''),
      );
      assert.equal(existsSync(out), false);
    } finally {
      await server.close();
    }
  });

  test('a partial folder started with other --days or resources is refused', async () => {
    const server = await startFake([fixtureA]);
    const out = outDir();
    try {
      await crashAfterFirstResource(server, out);
      await assert.rejects(collectFromFake(server, TENANT_A, out, { resources: ['devices', 'organization'], days: 7 }), /--days 30, not 7/);
      await assert.rejects(collectFromFake(server, TENANT_A, out, { resources: ['devices'] }), /started for resources devices,organization/);
    } finally {
      await server.close();
    }
  });

  test('a resumed run drops the file of a resource now forbidden', async () => {
    // The first run reads organization once; from then on it is forbidden.
    const server = await startFake([fixtureA], { faults: [{ kind: 'forbidden', match: '/organization', after: 1, times: Number.POSITIVE_INFINITY }] });
    const out = outDir();
    try {
      await crashAfterFirstResource(server, out);
      await collectFromFake(server, TENANT_A, out, { resources: ['devices', 'organization'] });
      const manifest = manifestOf(out);
      assert.equal(manifest.resources.organization?.status, 'forbidden');
      assert.equal(existsSync(join(out, 'organization.json')), false, 'stale organization.json removed');
      assert.equal(existsSync(join(out, 'collect-run.json')), false, 'working files removed');
      assert.ok(existsSync(join(out, 'devices.json')));
    } finally {
      await server.close();
    }
  });

  test('second run on a locked folder', async () => {
    const server = await startFake([fixtureA]);
    const out = outDir();
    try {
      const runs = await Promise.allSettled([
        collectFromFake(server, TENANT_A, out, { resources: ['devices'] }),
        collectFromFake(server, TENANT_A, out, { resources: ['devices'] }),
      ]);
      assert.equal(runs.filter((run) => run.status === 'fulfilled').length, 1);
      const refused = runs.find((run): run is PromiseRejectedResult => run.status === 'rejected')!;
      assert.ok(refused.reason instanceof UserError);
      assert.match(refused.reason.message, /another collect run \(process \d+\) is writing to/);
      assert.equal(existsSync(SnapshotFolder.lockPathOf(out)), false, 'lock released after the run');
    } finally {
      await server.close();
    }
  });

  test('a lock left by a dead process is taken over', async () => {
    const server = await startFake([fixtureA]);
    const out = outDir();
    try {
      mkdirSync(work, { recursive: true });
      // Linux pids stay below 2^22, so this one is never alive.
      writeFileSync(SnapshotFolder.lockPathOf(out), '2147483646\n');
      await collectFromFake(server, TENANT_A, out, { resources: ['devices'] });
      assert.equal(manifestOf(out).resources.devices?.status, 'collected');
    } finally {
      await server.close();
    }
  });
});
