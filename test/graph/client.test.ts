import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { UserError } from '../../src/errors.js';
import type { AppSecretSource } from '../../src/graph/auth.js';
import { GraphClient } from '../../src/graph/client.js';
import { VirtualClock } from '../../src/graph/clock.js';
import { GraphRequestError } from '../../src/graph/errors.js';
import type { FakeTenantData } from '../../src/graph/fake/data.js';
import { createTestCertificate } from '../../src/graph/fake/cert.js';
import { FakeGraphServer, type FakeFault } from '../../src/graph/fake/server.js';
import { DEFAULT_RETRY_POLICY } from '../../src/graph/retry.js';
import { captureLogger } from '../collect/fake-tenant.js';

const TENANT = 'cccc3333-0000-4000-8000-000000000003';
const CLIENT = 'dddd4444-0000-4000-8000-000000000004';
const SECRET_VARIABLE = 'TOKENGAP_TEST_CLIENT_SECRET';
const certificate = createTestCertificate();

function data(): FakeTenantData {
  const devices = Array.from({ length: 250 }, (_, i) => ({ id: `device-${i}`, displayName: `Device ${i}` }));
  return { manifest: {}, collections: { devices, organization: [{ id: TENANT }] }, singletons: {}, groupMembers: { g1: devices.slice(0, 3) }, signIns: undefined };
}

async function withServer(
  faults: FakeFault[],
  run: (server: FakeGraphServer, client: GraphClient, clock: VirtualClock) => Promise<void>,
  secret: AppSecretSource = { kind: 'secretEnv', variable: SECRET_VARIABLE },
): Promise<void> {
  const server = new FakeGraphServer({ tenants: [{ tenantId: TENANT, clientId: CLIENT, clientSecret: 'right-secret', data: data() }], faults, certificate });
  await server.start();
  const clock = new VirtualClock(Date.now());
  const client = new GraphClient({
    tenantId: TENANT,
    clientId: CLIENT,
    secret,
    graphRoot: server.url,
    authorityHost: server.url,
    disableInstanceDiscovery: true,
    clock,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 4, random: () => 1 },
    logger: captureLogger().logger,
    ca: certificate.cert,
    timeoutMs: 2_000,
  });
  try {
    await run(server, client, clock);
  } finally {
    client.close();
    await server.close();
  }
}

before(() => {
  process.env[SECRET_VARIABLE] = 'right-secret';
});

after(() => {
  delete process.env[SECRET_VARIABLE];
});

describe('Graph client against the fake server', () => {
  test('pages follow nextLink with the requested $top', async () => {
    await withServer([], async (server, client) => {
      const pages: number[] = [];
      for await (const page of client.pages(client.url('/devices?$top=100'))) pages.push(page.items.length);
      assert.deepEqual(pages, [100, 100, 50]);
      assert.equal(server.stats.graphRequests, 3);
    });
  });

  test('403 is not retried', async () => {
    await withServer([{ kind: 'forbidden', match: '/devices' }], async (server, client) => {
      const error = await client.get('/devices').catch((caught: unknown) => caught);
      assert.ok(error instanceof GraphRequestError);
      assert.equal(error.httpStatus, 403);
      assert.equal(error.code, 'Authorization_RequestDenied');
      assert.match(error.requestId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(server.stats.graphRequests, 1);
    });
  });

  test('persistent 503 gives up after the last attempt', async () => {
    await withServer([{ kind: 'unavailable', match: '/devices', times: Number.POSITIVE_INFINITY }], async (server, client, clock) => {
      const error = await client.get('/devices').catch((caught: unknown) => caught);
      assert.ok(error instanceof GraphRequestError);
      assert.equal(error.httpStatus, 503);
      assert.equal(server.stats.graphRequests, 4);
      assert.deepEqual(clock.sleeps, [1_000, 2_000, 4_000]);
    });
  });

  test('persistent resets give up with a transport error', async () => {
    await withServer([{ kind: 'reset', match: '/organization', times: Number.POSITIVE_INFINITY }], async (_server, client) => {
      const error = await client.get('/organization').catch((caught: unknown) => caught);
      assert.ok(error instanceof GraphRequestError);
      assert.equal(error.code, 'reset');
      assert.equal(client.stats.transportFailures, 4);
    });
  });

  test('batch member errors stay per member', async () => {
    await withServer([{ kind: 'forbidden', inBatch: true, match: '/groups/g2' }], async (_server, client) => {
      const results = await client.batchGet(new Map([
        ['one', '/groups/g1/members'],
        ['two', '/groups/g2/members'],
        ['three', '/groups/missing/members'],
      ]));
      assert.equal(results.get('one')?.status, 200);
      assert.equal((results.get('one')?.body as { value: unknown[] }).value.length, 3);
      assert.equal(results.get('two')?.error?.code, 'Authorization_RequestDenied');
      assert.equal(results.get('three')?.status, 404);
    });
  });

  test('a wrong secret fails sign-in without echoing it', async () => {
    process.env[SECRET_VARIABLE] = 'wrong-secret';
    try {
      await withServer([], async (_server, client) => {
        const error = await client.authenticate().catch((caught: unknown) => caught);
        assert.ok(error instanceof UserError);
        assert.match(error.message, new RegExp(TENANT));
        assert.ok(!error.format().includes('wrong-secret'));
      });
    } finally {
      process.env[SECRET_VARIABLE] = 'right-secret';
    }
  });

  test('a missing secret variable is a user error', async () => {
    delete process.env[SECRET_VARIABLE];
    try {
      await withServer([], async (server, client) => {
        await assert.rejects(client.authenticate(), (error: unknown) => error instanceof UserError && error.message.includes(SECRET_VARIABLE));
        assert.equal(server.stats.tokenRequests, 0);
      });
    } finally {
      process.env[SECRET_VARIABLE] = 'right-secret';
    }
  });
});

describe('certificate credential', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tokengap-cert-'));
    // MSAL signs the client assertion with RS256 or PS256, so the app certificate needs an RSA key.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=tokengap test app', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'pipe' });
    writeFileSync(join(dir, 'app.pem'), readFileSync(join(dir, 'cert.pem'), 'utf8') + readFileSync(join(dir, 'key.pem'), 'utf8'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('signs in with a PEM certificate', async () => {
    await withServer([], async (server, client) => {
      const organization = await client.get<{ value: { id: string }[] }>('/organization');
      assert.equal(organization.value[0]?.id, TENANT);
      assert.equal(server.stats.tokenRequests, 1);
    }, { kind: 'certificate', path: join(dir, 'app.pem') });
  });

  test('rejects a PEM without a private key', async () => {
    await withServer([], async (server, client) => {
      await assert.rejects(client.authenticate(), /has no private key/);
      assert.equal(server.stats.tokenRequests, 0);
    }, { kind: 'certificate', path: join(dir, 'cert.pem') });
  });

  test('rejects a missing certificate file', async () => {
    await withServer([], async (_server, client) => {
      await assert.rejects(client.authenticate(), /cannot read certificate .*ENOENT/);
    }, { kind: 'certificate', path: join(dir, 'missing.pem') });
  });
});
