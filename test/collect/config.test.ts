import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadTenantsConfig } from '../../src/collect/config.js';
import { collectMany, formatSummary } from '../../src/collect/many.js';
import { InputError } from '../../src/errors.js';
import { VirtualClock } from '../../src/graph/clock.js';
import { repoRoot } from '../helpers/shared.js';
import { CLIENT_ID, FIXTURE_NOW, captureLogger, secretVariable, startFake, writeFixtureSnapshot } from './fake-tenant.js';

const TENANT_C = 'cccc5555-0000-4000-8000-000000000005';
const TENANT_D = 'dddd6666-0000-4000-8000-000000000006';
const UNKNOWN_TENANT = 'eeee7777-0000-4000-8000-000000000007';

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'tokengap-config-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

function configFile(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

describe('tenants file', () => {
  for (const [name, text, jsonPath] of [
    ['a duplicate "tenants" key', `{"tenants":[{"tenantId":"${TENANT_C}","clientId":"${CLIENT_ID}","clientSecretEnv":"A"}],"tenants":[{"tenantId":"${TENANT_D}","clientId":"${CLIENT_ID}","clientSecretEnv":"B"}]}`, '$.tenants'],
    ['a duplicate key inside a tenant', `{"tenants":[{"tenantId":"${TENANT_C}","clientId":"${CLIENT_ID}","clientSecretEnv":"A","tenantId":"${TENANT_D}"}]}`, '$.tenants[0].tenantId'],
  ] as const) {
    test(`rejects ${name}`, async () => {
      const file = configFile(`duplicate-${jsonPath.length}.json`, text);
      await assert.rejects(loadTenantsConfig(file), (error: unknown) => error instanceof InputError && error.location.jsonPath === jsonPath && /appears twice/.test(error.message));
    });
  }

  test('keys repeated in different objects are fine', async () => {
    const file = configFile('same-keys.json', { tenants: [{ tenantId: TENANT_C, clientId: CLIENT_ID, clientSecretEnv: 'A', name: 'a "quoted" name' }, { tenantId: TENANT_D, clientId: CLIENT_ID, clientSecretEnv: 'A' }] });
    assert.equal((await loadTenantsConfig(file)).tenants.length, 2);
  });

  test('the shipped example loads', async () => {
    const { tenants, config } = await loadTenantsConfig(join(repoRoot, 'examples', 'tenants.json'));
    assert.equal(config.concurrency, 4);
    assert.equal(tenants.length, 3);
    assert.deepEqual(tenants[0]!.secret, { kind: 'certificate', path: '/etc/tokengap/collect-app.pem' });
    assert.deepEqual(tenants[2]!.secret, { kind: 'secretEnv', variable: 'TOKENGAP_CONTOSO_SECRET' });
    assert.equal(tenants[2]!.cloud, 'usgov');
    assert.equal(tenants[1]!.days, 30);
  });

  const bad: [string, unknown, string, RegExp][] = [
    ['a secret value', { defaults: { clientId: CLIENT_ID, clientSecret: 'hunter2' }, tenants: [{ tenantId: TENANT_C }] }, '$.defaults.clientSecret', /contains a secret/],
    ['a tenant id that is not a GUID', { defaults: { clientId: CLIENT_ID, certificate: 'c.pem' }, tenants: [{ tenantId: 'contoso.onmicrosoft.com' }] }, '$.tenants[0].tenantId', /tenant id GUID/],
    ['a tenant listed twice', { defaults: { clientId: CLIENT_ID, certificate: 'c.pem' }, tenants: [{ tenantId: TENANT_C }, { tenantId: TENANT_C.toUpperCase() }] }, '$.tenants[1].tenantId', /listed twice/],
    ['no credential', { defaults: { clientId: CLIENT_ID }, tenants: [{ tenantId: TENANT_C }] }, '$.tenants[0]', /no certificate or clientSecretEnv/],
    ['no client id', { defaults: { certificate: 'c.pem' }, tenants: [{ tenantId: TENANT_C }] }, '$.tenants[0]', /no clientId/],
    ['an unknown resource', { defaults: { clientId: CLIENT_ID, certificate: 'c.pem' }, tenants: [{ tenantId: TENANT_C, resources: ['mailboxes'] }] }, '$.tenants[0].resources[0]', /./],
    ['days past retention', { defaults: { clientId: CLIENT_ID, certificate: 'c.pem', days: 90 }, tenants: [{ tenantId: TENANT_C }] }, '$.defaults.days', /./],
    ['an unknown property', { tenants: [{ tenantId: TENANT_C, clientId: CLIENT_ID, certificate: 'c.pem', tenantName: 'x' }] }, '$.tenants[0]', /tenantName/],
    ['no tenants', { tenants: [] }, '$.tenants', /./],
  ];
  for (const [name, content, jsonPath, message] of bad) {
    test(`rejects ${name}`, async () => {
      const file = configFile(`${name.replace(/\W+/g, '-')}.json`, content);
      const error = await loadTenantsConfig(file).catch((caught: unknown) => caught);
      assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
      assert.equal(error.location.file, file);
      assert.equal(error.location.jsonPath, jsonPath);
      assert.match(error.message, message);
      assert.ok(!error.format().includes('hunter2'));
    });
  }

  test('rejects broken JSON with its line', async () => {
    const file = configFile('broken.json', '{\n  "tenants": [\n    { "tenantId": "x", }\n  ]\n}\n');
    const error = await loadTenantsConfig(file).catch((caught: unknown) => caught);
    assert.ok(error instanceof InputError);
    assert.equal(error.location.line, 3);
  });
});

describe('collect many tenants', () => {
  test('collects each tenant in its own folder and reports a failure', async () => {
    const dirC = join(work, 'served-c');
    const dirD = join(work, 'served-d');
    writeFixtureSnapshot(dirC, { tenantId: TENANT_C, name: 'Charlie', users: 30, bigGroupMembers: 5, interactiveSignIns: 20, nonInteractiveSignIns: 20 });
    writeFixtureSnapshot(dirD, { tenantId: TENANT_D, name: 'Delta', users: 40, bigGroupMembers: 5, interactiveSignIns: 20, nonInteractiveSignIns: 20 });
    const server = await startFake([dirC, dirD]);
    process.env.TOKENGAP_TEST_UNKNOWN = 'whatever';
    try {
      const outRoot = join(work, 'many');
      const outcomes = await collectMany({
        tenants: [TENANT_C, TENANT_D, UNKNOWN_TENANT].map((tenantId, i) => ({
          tenantId,
          name: ['Charlie Co', 'Delta Co', 'Nobody'][i],
          clientId: CLIENT_ID,
          secret: { kind: 'secretEnv' as const, variable: tenantId === UNKNOWN_TENANT ? 'TOKENGAP_TEST_UNKNOWN' : secretVariable(tenantId) },
          cloud: 'global' as const,
          days: 30,
          resources: undefined,
        })),
        outRoot,
        concurrency: 2,
        shared: { graphBaseUrl: server.url, authorityHost: server.url, ca: server.certificate.cert, clock: new VirtualClock(Date.now()), logger: captureLogger().logger, now: FIXTURE_NOW },
      });
      assert.deepEqual(outcomes.map((outcome) => outcome.ok), [true, true, false]);
      assert.match(outcomes[2]!.error ?? '', /sign-in as app .* failed/);
      assert.deepEqual(readdirSync(outRoot).sort(), [`charlie-co-${TENANT_C}`, `delta-co-${TENANT_D}`]);
      assert.equal(outcomes[0]!.name, 'Charlie');
      const summary = formatSummary(outcomes);
      assert.match(summary, /collected 2 of 3 tenant/);
      assert.match(summary, /FAILED Nobody/);
      assert.match(summary, /forbidden: .*servicePrincipals/);
    } finally {
      delete process.env.TOKENGAP_TEST_UNKNOWN;
      await server.close();
    }
  });
});

function runCli(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'collect', 'run-cli.ts'), ...args], {
      env: { ...process.env, ...env },
      cwd: repoRoot,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('collect command', () => {
  test('collects through the fake server with NODE_EXTRA_CA_CERTS', async () => {
    const served = join(work, 'served-cli');
    writeFixtureSnapshot(served, { tenantId: TENANT_C, name: 'Charlie', users: 12, bigGroupMembers: 2, interactiveSignIns: 5, nonInteractiveSignIns: 5 });
    const server = await startFake([served]);
    const caFile = join(work, 'ca.pem');
    writeFileSync(caFile, server.certificate.cert);
    try {
      const out = join(work, 'cli-out');
      const result = await runCli(
        ['collect', '--tenant', TENANT_C, '--client-id', CLIENT_ID, '--client-secret-env', secretVariable(TENANT_C), '--out', out, '--graph-base-url', server.url, '--authority-host', server.url, '--resources', 'organization,users'],
        { NODE_EXTRA_CA_CERTS: caFile },
      );
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stderr, /ok +Charlie/);
      assert.ok(existsSync(join(out, 'users.json')));
      assert.ok(!existsSync(join(out, 'groups.json')));
    } finally {
      await server.close();
    }
  });

  test('a token still rejected after a refresh fails the tenant with exit 2', async () => {
    const served = join(work, 'served-rejected');
    writeFixtureSnapshot(served, { tenantId: TENANT_D, name: 'Delta', users: 5, bigGroupMembers: 1, interactiveSignIns: 2, nonInteractiveSignIns: 2 });
    const server = await startFake([served], { faults: [{ kind: 'expireToken', match: '/organization', times: Number.POSITIVE_INFINITY }] });
    const caFile = join(work, 'ca-rejected.pem');
    writeFileSync(caFile, server.certificate.cert);
    try {
      const result = await runCli(
        ['collect', '--tenant', TENANT_D, '--client-id', CLIENT_ID, '--client-secret-env', secretVariable(TENANT_D), '--out', join(work, 'cli-rejected'), '--graph-base-url', server.url, '--authority-host', server.url, '--resources', 'organization'],
        { NODE_EXTRA_CA_CERTS: caFile },
      );
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /collected 0 of 1 tenant/);
      assert.match(result.stderr, /FAILED .*rejected the access token/);
    } finally {
      await server.close();
    }
  });

  test('rejects a secret on the command line', async () => {
    const result = await runCli(['collect', '--tenant', TENANT_C, '--client-id', CLIENT_ID, '--client-secret', 'hunter2', '--out', join(work, 'never')], {});
    assert.equal(result.status, 2);
    assert.match(result.stderr, /not accepted on the command line/);
    assert.ok(!result.stderr.includes('hunter2'));
  });

  test('rejects a --client-secret-env that is not a variable name without echoing it', async () => {
    const pasted = 'Xy7$secretvalue!';
    const result = await runCli(['collect', '--tenant', TENANT_C, '--client-id', CLIENT_ID, '--client-secret-env', pasted, '--out', join(work, 'never')], {});
    assert.equal(result.status, 2);
    assert.match(result.stderr, /must be the name of an environment variable/);
    assert.ok(!result.stderr.includes('secretvalue'), 'the value is not printed');
  });

  test('rejects a missing credential', async () => {
    const result = await runCli(['collect', '--tenant', TENANT_C, '--client-id', CLIENT_ID, '--out', join(work, 'never')], {});
    assert.equal(result.status, 2);
    assert.match(result.stderr, /missing --certificate or --client-secret-env/);
  });

  test('permissions lists read-only permissions for collect', async () => {
    const result = await runCli(['permissions', '--json'], {});
    assert.equal(result.status, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as { collect: { permission: string }[]; respond: { permission: string }[] };
    const collect = parsed.collect.map((need) => need.permission);
    assert.ok(collect.includes('AuditLog.Read.All'));
    assert.ok(collect.includes('Policy.Read.All'));
    assert.deepEqual(collect.filter((permission) => /ReadWrite|RevokeSessions|EnableDisable/.test(permission)), []);
    assert.ok(parsed.respond.some((need) => need.permission === 'User.RevokeSessions.All'));
  });
});

describe('fake-graph command', () => {
  test('serves the OpenID configuration over HTTPS with its CA', async () => {
    const served = join(work, 'served-main');
    writeFixtureSnapshot(served, { tenantId: TENANT_D, name: 'Delta', users: 3, bigGroupMembers: 1, interactiveSignIns: 1, nonInteractiveSignIns: 1 });
    const caFile = join(work, 'main-ca.pem');
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'graph', 'fake', 'main.ts'), '--snapshot', served, '--port', '0', '--ca-out', caFile, '--fault', 'throttle,match=/users'], { cwd: repoRoot });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n')) resolve(text.split('\n')[0]!);
        });
        child.on('exit', (code) => reject(new Error(`fake-graph exited with ${code}`)));
      });
      const started = JSON.parse(line) as { url: string; tenants: string[] };
      assert.deepEqual(started.tenants, [TENANT_D]);
      const { request } = await import('node:https');
      const { readFileSync } = await import('node:fs');
      const body = await new Promise<string>((resolve, reject) => {
        request(`${started.url}/${TENANT_D}/v2.0/.well-known/openid-configuration`, { ca: readFileSync(caFile, 'utf8') }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject).end();
      });
      assert.equal((JSON.parse(body) as { token_endpoint: string }).token_endpoint, `${started.url}/${TENANT_D}/oauth2/v2.0/token`);
    } finally {
      child.kill();
    }
  });

  test('rejects an unknown fault kind', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'graph', 'fake', 'main.ts'), '--snapshot', work, '--fault', 'explode'], { cwd: repoRoot });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 2);
    assert.match(stderr, /unknown fault kind "explode"/);
  });
});
