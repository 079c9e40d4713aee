import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { pino, type Logger } from 'pino';

import { collectTenant, type CollectTenantOptions, type CollectTenantResult } from '../../src/collect/tenant.js';
import { VirtualClock } from '../../src/graph/clock.js';
import { loadFakeTenantData } from '../../src/graph/fake/data.js';
import { FakeGraphServer, type FakeFault, type FakeGraphOptions } from '../../src/graph/fake/server.js';
import { DEFAULT_RETRY_POLICY } from '../../src/graph/retry.js';
import type { SnapshotManifest } from '../../src/snapshot/types.js';

/** Reference time of the fixtures; sign-ins fall in the 30 days before it. */
export const FIXTURE_NOW = new Date('2026-11-30T12:00:00Z');
export const CLIENT_ID = '0a0a0a0a-1111-2222-3333-444444444444';

export interface FixtureOptions {
  tenantId: string;
  name: string;
  users: number;
  /** Members of the one large group, to exercise member paging inside `$batch`. */
  bigGroupMembers: number;
  interactiveSignIns: number;
  nonInteractiveSignIns: number;
  manifest?: Partial<SnapshotManifest>;
}

function guid(prefix: string, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-${hex}`;
}

/**
 * Writes a small snapshot folder in collect's layout. Sign-ins share timestamps in runs of
 * seven, so page boundaries fall inside a run of equal `createdDateTime` values, which is the
 * hard case for resuming. Ten sign-ins per stream are older than 30 days and must not be read.
 */
export function writeFixtureSnapshot(dir: string, options: FixtureOptions): void {
  mkdirSync(join(dir, 'signIns'), { recursive: true });
  const t = options.tenantId.slice(0, 4);
  const users = Array.from({ length: options.users }, (_, i) => ({
    id: guid(`${t}aa`, i),
    displayName: `${options.name} user ${i}`,
    userPrincipalName: `user${i}@${options.name.toLowerCase()}.example`,
    accountEnabled: i % 10 !== 0,
    userType: i % 25 === 0 ? 'Guest' : 'Member',
    ...(i % 3 === 0 ? {} : { signInActivity: { lastSignInDateTime: '2026-11-20T08:00:00Z', lastNonInteractiveSignInDateTime: '2026-11-21T08:00:00Z' } }),
  }));
  const groups = Array.from({ length: 45 }, (_, i) => ({ id: guid(`${t}bb`, i), displayName: `${options.name} group ${i}`, securityEnabled: true, groupTypes: [] }));
  const groupMembers: Record<string, unknown[]> = {};
  groups.forEach((group, i) => {
    const count = i === 0 ? options.bigGroupMembers : i % 4;
    groupMembers[group.id] = Array.from({ length: count }, (_, k) => {
      const user = users[(i * 7 + k) % users.length]!;
      return { '@odata.type': '#microsoft.graph.user', id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName };
    });
  });
  groupMembers[groups[1]!.id]!.push({ '@odata.type': '#microsoft.graph.group', id: groups[2]!.id, displayName: groups[2]!.displayName });

  const signIns = (kind: 'interactiveUser' | 'nonInteractiveUser', count: number): Record<string, unknown>[] =>
    Array.from({ length: count + 10 }, (_, i) => {
      const old = i >= count;
      const minutes = old ? 31 * 24 * 60 + i : Math.floor(i / 7) * 3;
      const user = users[i % users.length]!;
      return {
        id: `${kind === 'interactiveUser' ? 'i' : 'n'}-${options.tenantId.slice(0, 8)}-${i}`,
        createdDateTime: new Date(FIXTURE_NOW.getTime() - 60_000 - minutes * 60_000).toISOString().replace('.000Z', 'Z'),
        userId: user.id,
        userPrincipalName: user.userPrincipalName,
        appId: '29d9ed98-a469-4536-ade2-f981bc1d605e',
        isInteractive: kind === 'interactiveUser',
        signInEventTypes: [kind],
        authenticationProtocol: i % 50 === 0 ? 'deviceCode' : 'none',
        status: { errorCode: 0 },
      };
    });

  const page = (value: unknown[]): unknown => ({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#x', value });
  writeFileSync(join(dir, 'organization.json'), JSON.stringify(page([{ id: options.tenantId, displayName: options.name }])));
  writeFileSync(join(dir, 'users.json'), JSON.stringify(page(users)));
  writeFileSync(join(dir, 'groups.json'), JSON.stringify(page(groups)));
  writeFileSync(join(dir, 'groupMembers.json'), JSON.stringify(groupMembers));
  writeFileSync(join(dir, 'devices.json'), JSON.stringify(page(Array.from({ length: 150 }, (_, i) => ({ id: guid(`${t}cc`, i), deviceId: guid(`${t}dd`, i), isCompliant: i % 2 === 0 })))));
  writeFileSync(join(dir, 'conditionalAccessPolicies.json'), JSON.stringify(page([{ id: guid(`${t}ee`, 1), displayName: 'Block device code flow', state: 'enabled', conditions: { authenticationFlows: { transferMethods: 'deviceCodeFlow' } } }])));
  writeFileSync(join(dir, 'authorizationPolicy.json'), JSON.stringify({ id: 'authorizationPolicy', allowInvitesFrom: 'everyone' }));
  writeFileSync(join(dir, 'managedDevices.json'), JSON.stringify(page([])));
  writeFileSync(join(dir, 'signIns', 'interactive.ndjson'), signIns('interactiveUser', options.interactiveSignIns).map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(join(dir, 'signIns', 'non-interactive.ndjson'), signIns('nonInteractiveUser', options.nonInteractiveSignIns).map((r) => JSON.stringify(r)).join('\n') + '\n');
  const manifest: SnapshotManifest = {
    schemaVersion: 1,
    tenantId: options.tenantId,
    tenantName: options.name,
    collectedAt: FIXTURE_NOW.toISOString(),
    toolVersion: 'fixture',
    resources: {
      organization: { status: 'collected' },
      users: { status: 'collected' },
      groups: { status: 'collected' },
      groupMembers: { status: 'collected' },
      devices: { status: 'collected' },
      conditionalAccessPolicies: { status: 'collected' },
      authorizationPolicy: { status: 'collected' },
      managedDevices: { status: 'collected' },
      signIns: { status: 'collected' },
      ...options.manifest?.resources,
    },
    fields: { 'users.signInActivity': { status: 'collected' }, ...options.manifest?.fields },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

/** Collected items of a snapshot, normalised for comparison: no annotations but `@odata.type`, sorted by id. */
export interface NormalisedSnapshot {
  statuses: Record<string, string>;
  items: Record<string, string[]>;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !key.startsWith('@odata.') || key === '@odata.type')
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Reads a snapshot for comparison. With `window`, sign-ins outside it are dropped, because
 * collect reads only the last `--days` days. Empty member lists are dropped on both sides.
 */
export function normaliseSnapshot(dir: string, window?: { from: Date; to: Date }): NormalisedSnapshot {
  const data = loadFakeTenantData(dir);
  const statuses: Record<string, string> = {};
  for (const [name, status] of Object.entries(data.manifest.resources ?? {})) statuses[name] = status!.status;
  const items: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(data.collections)) {
    if (statuses[name] === 'collected') items[name] = list!.map(canonical).sort();
  }
  for (const [name, item] of Object.entries(data.singletons)) {
    if (statuses[name] === 'collected') items[name] = [canonical(item)];
  }
  if (data.groupMembers && statuses.groupMembers === 'collected') {
    items.groupMembers = Object.entries(data.groupMembers)
      .filter(([, members]) => members.length > 0)
      .map(([groupId, members]) => `${groupId}=${members.map(canonical).sort().join('|')}`)
      .sort();
  }
  if (data.signIns && statuses.signIns === 'collected') {
    items.signIns = data.signIns
      .filter((record) => {
        if (!window) return true;
        const at = Date.parse(String(record.createdDateTime));
        return at >= window.from.getTime() && at <= window.to.getTime();
      })
      .map(canonical)
      .sort();
  }
  return { statuses, items };
}

/** Collects `tenantId` from the fake server with a virtual clock and a captured log. */
export async function collectFromFake(
  server: FakeGraphServer,
  tenantId: string,
  out: string,
  extra: Partial<CollectTenantOptions> = {},
): Promise<CollectTenantResult & { clock: VirtualClock; logText: () => string }> {
  // The virtual clock starts at the real time because the fake server dates Retry-After by it.
  const clock = new VirtualClock(Date.now());
  const captured = captureLogger();
  const result = await collectTenant({
    tenantId,
    clientId: CLIENT_ID,
    secret: { kind: 'secretEnv', variable: secretVariable(tenantId) },
    out,
    days: 30,
    cloud: 'global',
    graphBaseUrl: server.url,
    authorityHost: server.url,
    ca: server.certificate.cert,
    clock,
    logger: captured.logger,
    now: FIXTURE_NOW,
    retry: { ...DEFAULT_RETRY_POLICY, random: () => 0.5 },
    timeoutMs: 2_000,
    ...extra,
  });
  return { ...result, clock, logText: captured.text };
}

/** Each fixture tenant has its own secret in its own environment variable. */
export function secretVariable(tenantId: string): string {
  return `TOKENGAP_TEST_SECRET_${tenantId.slice(0, 8).toUpperCase()}`;
}

export function secretOf(tenantId: string): string {
  return `secret-${tenantId}-value`;
}

export async function startFake(tenantDirs: string[], options: Partial<FakeGraphOptions> = {}): Promise<FakeGraphServer> {
  const tenants = tenantDirs.map((dir) => {
    const data = loadFakeTenantData(dir);
    const tenantId = data.manifest.tenantId!;
    process.env[secretVariable(tenantId)] = secretOf(tenantId);
    return { tenantId, clientId: CLIENT_ID, clientSecret: secretOf(tenantId), data };
  });
  const server = new FakeGraphServer({ tenants, ...options });
  await server.start();
  return server;
}

export function captureLogger(level = 'debug'): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level }, sink), text: () => chunks.join('') };
}

/** Lists every file and folder under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? [path, ...filesUnder(path)] : [path];
  });
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export type { FakeFault };
