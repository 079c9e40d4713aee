import type { Logger } from 'pino';

import { UserError } from '../errors.js';
import { log as rootLogger } from '../log.js';
import type { AppSecretSource } from '../graph/auth.js';
import { GraphClient, MAX_PAGES } from '../graph/client.js';
import { systemClock, type Clock } from '../graph/clock.js';
import { CLOUD_ENDPOINTS, type CloudName } from '../graph/clouds.js';
import { GraphRequestError } from '../graph/errors.js';
import {
  GROUP_MEMBERS_PERMISSION,
  MEMBER_SELECT,
  MEMBERS_MAX_TOP,
  RESOURCE_ENDPOINTS,
  SIGN_INS,
  USERS_MAX_TOP_WITH_SIGN_IN_ACTIVITY,
  type ResourceEndpoint,
} from '../graph/endpoints.js';
import { retryBudget, type RequestStats } from '../graph/middleware.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../graph/retry.js';
import { RESOURCE_NAMES, type ResourceName, type ResourceStatus } from '../snapshot/resources.js';
import type { SnapshotManifest } from '../snapshot/types.js';
import { TOOL_VERSION } from '../version.js';
import { classifyFailure } from './classify.js';
import { SnapshotFolder } from './folder.js';
import { STATE_FILE, collectSignInStream, newSignInState, withoutAnnotations, type SignInCollectionState } from './signins.js';

export interface CollectTenantOptions {
  tenantId: string;
  clientId: string;
  secret: AppSecretSource;
  /** Final snapshot folder. */
  out: string;
  /** Days of sign-in and audit logs to read, counted back from `now`. */
  days: number;
  /** Resources to read; all when undefined. */
  resources?: readonly ResourceName[];
  cloud: CloudName;
  graphBaseUrl?: string;
  authorityHost?: string;
  /** Extra trusted CA certificates (PEM), for the fake server. */
  ca?: string | string[];
  clock?: Clock;
  retry?: RetryPolicy;
  logger?: Logger;
  /** Reference time for `--days`; defaults to the clock's time. */
  now?: Date;
  /** Resources read at once within this tenant. */
  concurrency?: number;
  /** Pace of report endpoints; `null` turns pacing off (the benchmark's latency run). */
  reportsRate?: { limit: number; windowMs: number } | null;
  timeoutMs?: number;
  /** Largest response body accepted, in bytes; 256 MiB when unset. */
  maxBodyBytes?: number;
  onProgress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  tenantId: string;
  resource: ResourceName;
  items: number;
  requests: number;
}

export interface CollectTenantResult {
  dir: string;
  manifest: SnapshotManifest;
  stats: RequestStats;
  resumed: boolean;
}

/** Graph's documented report limit: 5 requests per 10 seconds per app per tenant. */
export const REPORTS_RATE = { limit: 5, windowMs: 10_000 };

const DEFAULT_CONCURRENCY = 4;

/** Reads one tenant into a snapshot folder and returns its manifest. */
export async function collectTenant(options: CollectTenantOptions): Promise<CollectTenantResult> {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? rootLogger).child({ tenant: options.tenantId });
  const cloud = CLOUD_ENDPOINTS[options.cloud];
  const authorityHost = options.authorityHost ?? cloud.login;
  const client = new GraphClient({
    tenantId: options.tenantId,
    clientId: options.clientId,
    secret: options.secret,
    graphRoot: options.graphBaseUrl ?? cloud.graph,
    authorityHost,
    // Instance discovery queries login.microsoftonline.com about the authority, so an authority
    // that is not a Microsoft cloud (the fake server) would fail it.
    disableInstanceDiscovery: options.authorityHost !== undefined && !Object.values(CLOUD_ENDPOINTS).some((c) => c.login === options.authorityHost),
    clock,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    logger,
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.reportsRate === null ? {} : { reportsRate: options.reportsRate ?? REPORTS_RATE }),
  });

  let folder: SnapshotFolder;
  try {
    await client.authenticate();
    folder = await SnapshotFolder.open(options.out, {
      tenantId: options.tenantId.toLowerCase(),
      resources: [...(options.resources ?? RESOURCE_NAMES)].sort(),
      days: options.days,
    });
  } catch (error) {
    client.close();
    throw error;
  }
  let completed = false;
  try {
    const run = new TenantRun(options, client, folder, clock, logger);
    const manifest = await run.collect();
    await folder.writeJson('manifest.json', manifest);
    await folder.keepOnly(snapshotEntries(manifest));
    await folder.complete();
    completed = true;
    logger.info({ dir: options.out, requests: client.stats.requests }, 'collection complete');
    return { dir: options.out, manifest, stats: client.stats, resumed: folder.resumed };
  } finally {
    if (!completed) await folder.release();
    client.close();
  }
}

/** Entries of a finished snapshot folder: the manifest and one file (or folder) per collected resource. */
function snapshotEntries(manifest: SnapshotManifest): Set<string> {
  const keep = new Set(['manifest.json']);
  for (const [name, status] of Object.entries(manifest.resources)) {
    if (status?.status === 'collected') keep.add(name === 'signIns' ? 'signIns' : `${name}.json`);
  }
  return keep;
}

class TenantRun {
  private readonly manifest: SnapshotManifest;
  private readonly requested: Set<ResourceName>;

  constructor(
    private readonly options: CollectTenantOptions,
    private readonly client: GraphClient,
    private readonly folder: SnapshotFolder,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.requested = new Set(options.resources ?? RESOURCE_NAMES);
    if (this.requested.has('groupMembers')) this.requested.add('groups');
    this.manifest = {
      schemaVersion: 1,
      tenantId: options.tenantId,
      tenantName: null,
      collectedAt: null,
      toolVersion: TOOL_VERSION,
      resources: {},
      fields: {},
    };
  }

  async collect(): Promise<SnapshotManifest> {
    const startedAt = this.options.now ?? new Date(this.clock.now());
    const tasks: (() => Promise<void>)[] = [];
    // Each resource gets its own budget of retry waits, so one throttled or hostile endpoint
    // fails alone instead of holding the run for hours.
    const budgetMs = (this.options.retry ?? DEFAULT_RETRY_POLICY).resourceBudgetMs;
    const task = (read: () => Promise<void>) => () => retryBudget.run({ remainingMs: budgetMs }, read);
    // Sign-ins are the longest chain of pages, so they start first.
    if (this.requested.has('signIns')) tasks.push(task(() => this.collectSignIns(startedAt)));
    for (const endpoint of RESOURCE_ENDPOINTS) {
      if (!this.requested.has(endpoint.resource)) continue;
      if (endpoint.resource === 'groups') tasks.push(task(() => this.collectGroups(endpoint)));
      else if (endpoint.resource === 'users') tasks.push(task(() => this.collectUsers(endpoint)));
      else tasks.push(task(() => this.collectEndpoint(endpoint, startedAt)));
    }
    await runPool(tasks, this.options.concurrency ?? DEFAULT_CONCURRENCY);

    const organization = await this.folder.readJson<{ value?: { id?: string; displayName?: string }[] }>('organization.json');
    const org = organization?.value?.[0];
    if (org?.id && org.id.toLowerCase() !== this.options.tenantId.toLowerCase()) {
      throw new UserError(
        `Graph returned organization ${org.id} for tenant ${this.options.tenantId}`,
        'pass the tenant id (a GUID) that the app registration is consented in',
      );
    }
    this.manifest.tenantName = org?.displayName ?? null;
    this.manifest.collectedAt = startedAt.toISOString();
    this.manifest.resources = sortedResources(this.manifest.resources);
    return this.manifest;
  }

  private setStatus(resource: ResourceName, status: ResourceStatus): void {
    this.manifest.resources[resource] = status;
    if (status.status !== 'collected') {
      this.logger.info({ resource, status: status.status, permission: status.permission, license: status.license, code: status.error?.code, requestId: status.requestId }, 'resource not collected');
    }
  }

  private progress(resource: ResourceName, items: number): void {
    this.options.onProgress?.({ tenantId: this.options.tenantId, resource, items, requests: this.client.stats.requests });
  }

  private async readAll(url: string, resource: ResourceName): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of this.client.pages<Record<string, unknown>>(url)) {
      for (const item of page.items) items.push(withoutAnnotations(item));
      this.progress(resource, page.items.length);
    }
    return items;
  }

  private firstUrl(endpoint: ResourceEndpoint, select: readonly string[] | undefined, top: number | undefined, filter?: string): string {
    const query = new URLSearchParams();
    if (select) query.set('$select', select.join(','));
    if (top) query.set('$top', String(top));
    if (filter) query.set('$filter', filter);
    const search = query.toString();
    return this.client.url(`${endpoint.path}${search ? `?${search}` : ''}`, endpoint.version);
  }

  /** Reads a resource, recording `collected` or the classified failure; returns the items when collected. */
  private async guarded<T>(resource: ResourceName, permission: string, license: string | undefined, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof GraphRequestError)) throw error;
      this.failTenantOnRejectedToken(error);
      this.setStatus(resource, classifyFailure(error, permission, license));
      return undefined;
    }
  }

  /**
   * Fails the whole tenant on a 401. A 401 reaches here only after the retry chain fetched a new
   * token and Graph rejected that one too, so every other resource would fail the same way.
   */
  private failTenantOnRejectedToken(error: GraphRequestError): void {
    if (error.httpStatus !== 401) return;
    throw new UserError(
      `Graph rejected the access token for tenant ${this.options.tenantId} even after a new one was requested (${error.code ?? 'HTTP 401'}${error.requestId ? `, request id ${error.requestId}` : ''})`,
      'check that the app registration is consented in this tenant and not disabled, and that the tenant id is right; the partial folder is kept for a rerun',
    );
  }

  private async writeCollection(resource: ResourceName, items: Record<string, unknown>[]): Promise<void> {
    await this.folder.writeJson(`${resource}.json`, { value: items });
    this.setStatus(resource, { status: 'collected', count: items.length });
  }

  private async collectEndpoint(endpoint: ResourceEndpoint, startedAt: Date): Promise<void> {
    const { resource, permission, license } = endpoint;
    if (endpoint.singleton) {
      const item = await this.guarded(resource, permission, license, async () => {
        const url = this.client.url(endpoint.path, endpoint.version);
        const body = await this.client.get<unknown>(url);
        assertSingletonShape(body, url);
        return body;
      });
      if (item === undefined) return;
      await this.folder.writeJson(`${resource}.json`, withoutAnnotations(item));
      this.setStatus(resource, { status: 'collected' });
      this.progress(resource, 1);
      return;
    }
    const filter = endpoint.dateFilter ? `${endpoint.dateFilter} ge ${this.fromDate(startedAt)}` : undefined;
    const items = await this.guarded(resource, permission, license, () => this.readAll(this.firstUrl(endpoint, endpoint.select, endpoint.maxTop, filter), resource));
    if (items === undefined) return;
    await this.writeCollection(resource, items);
    if (endpoint.dateFilter) {
      this.manifest.resources[resource] = { ...this.manifest.resources[resource]!, from: this.fromDate(startedAt), to: startedAt.toISOString() };
    }
  }

  /**
   * Reads users with `signInActivity` first. When Graph refuses that field (no Entra ID P1, or
   * no AuditLog.Read.All) the users are read again without it and the field status records why.
   */
  private async collectUsers(endpoint: ResourceEndpoint): Promise<void> {
    const select = endpoint.select ?? [];
    try {
      const items = await this.readAll(this.firstUrl(endpoint, [...select, 'signInActivity'], USERS_MAX_TOP_WITH_SIGN_IN_ACTIVITY), 'users');
      this.manifest.fields['users.signInActivity'] = { status: 'collected' };
      await this.writeCollection('users', items);
      return;
    } catch (error) {
      if (error instanceof GraphRequestError) this.failTenantOnRejectedToken(error);
      if (!(error instanceof GraphRequestError) || error.httpStatus !== 403) {
        if (error instanceof GraphRequestError) this.setStatus('users', classifyFailure(error, endpoint.permission, undefined));
        else throw error;
        return;
      }
      this.manifest.fields['users.signInActivity'] = classifyFailure(error, 'AuditLog.Read.All', 'Entra ID P1');
      this.logger.warn({ code: error.code, requestId: error.requestId }, 'signInActivity rejected (403), reading users without it');
    }
    const items = await this.guarded('users', endpoint.permission, undefined, () => this.readAll(this.firstUrl(endpoint, select, endpoint.maxTop), 'users'));
    if (items !== undefined) await this.writeCollection('users', items);
    // Users failed as a whole, so the earlier 403 was not about signInActivity. The resource status records the reason.
    else delete this.manifest.fields['users.signInActivity'];
  }

  /** Reads groups, then the direct members of every group through `$batch`. */
  private async collectGroups(endpoint: ResourceEndpoint): Promise<void> {
    const groups = await this.guarded('groups', endpoint.permission, undefined, () => this.readAll(this.firstUrl(endpoint, endpoint.select, endpoint.maxTop), 'groups'));
    if (groups === undefined) {
      if (this.requested.has('groupMembers')) this.setStatus('groupMembers', { ...this.manifest.resources.groups!, permission: GROUP_MEMBERS_PERMISSION });
      return;
    }
    if (this.options.resources === undefined || this.options.resources.includes('groups')) await this.writeCollection('groups', groups);
    if (!this.requested.has('groupMembers')) return;

    const members: Record<string, Record<string, unknown>[]> = {};
    const query = `$select=${MEMBER_SELECT.join(',')}&$top=${MEMBERS_MAX_TOP}`;
    let pending = new Map<string, string>();
    const memberLinks = new Map<string, Set<string>>();
    for (const group of groups) {
      const id = String(group.id);
      members[id] = [];
      pending.set(id, `/groups/${encodeURIComponent(id)}/members?${query}`);
    }
    while (pending.size > 0) {
      const results = await this.client.batchGet(pending);
      const next = new Map<string, string>();
      for (const [groupId, result] of results) {
        if (result.error) {
          // A group deleted between the two reads returns 404, and it no longer has members.
          if (result.status === 404) {
            delete members[groupId];
            continue;
          }
          this.failTenantOnRejectedToken(result.error);
          this.setStatus('groupMembers', classifyFailure(result.error, GROUP_MEMBERS_PERMISSION, undefined));
          return;
        }
        const body = result.body as { value?: Record<string, unknown>[]; '@odata.nextLink'?: string } | null;
        if (body === null || typeof body !== 'object' || !Array.isArray(body.value)) {
          this.setStatus('groupMembers', classifyFailure(new GraphRequestError(result.status, 'unexpectedShape', 'batch member has no "value" array', undefined, groupId), GROUP_MEMBERS_PERMISSION, undefined));
          return;
        }
        for (const member of body.value) members[groupId]!.push(withoutAnnotations(member));
        const nextLink = body['@odata.nextLink'];
        if (nextLink !== undefined) {
          try {
            const relative = this.client.relativePath(String(nextLink));
            // Member pages of one group move forward, so a link seen before is a loop.
            const seen = memberLinks.get(groupId) ?? new Set<string>();
            if (seen.has(relative)) throw new GraphRequestError(undefined, 'nextLinkLoop', 'the server sent a next link it had already sent', undefined, String(nextLink));
            if (seen.size >= MAX_PAGES) throw new GraphRequestError(undefined, 'tooManyPages', `the server sent more than ${MAX_PAGES} pages of members`, undefined, String(nextLink));
            seen.add(relative);
            memberLinks.set(groupId, seen);
            next.set(groupId, relative);
          } catch (error) {
            if (!(error instanceof GraphRequestError)) throw error;
            this.setStatus('groupMembers', classifyFailure(error, GROUP_MEMBERS_PERMISSION, undefined));
            return;
          }
        }
      }
      this.progress('groupMembers', results.size);
      pending = next;
    }
    await this.folder.writeJson('groupMembers.json', members);
    this.setStatus('groupMembers', { status: 'collected', count: Object.keys(members).length });
  }

  private fromDate(startedAt: Date): string {
    return new Date(startedAt.getTime() - this.options.days * 86_400_000).toISOString();
  }

  /** Reads interactive and non-interactive sign-ins from beta, resuming a saved partial run. */
  private async collectSignIns(startedAt: Date): Promise<void> {
    let state = await this.folder.readJson<SignInCollectionState>(STATE_FILE);
    if (state && state.tenantId !== this.options.tenantId) {
      throw new UserError(
        `the partial folder ${this.folder.dir} belongs to tenant ${state.tenantId}, not ${this.options.tenantId}`,
        'pass another --out folder, or delete the partial folder',
      );
    }
    state ??= newSignInState(this.options.tenantId, this.fromDate(startedAt), startedAt.toISOString());
    await this.folder.mkdir('signIns');
    await this.folder.writeJson(STATE_FILE, state);
    const stop = { requested: false };
    const outcomes = await Promise.allSettled(
      SIGN_INS.eventTypes.map((stream) =>
        collectSignInStream(this.client, this.folder, state, stream, this.logger, (count) => this.progress('signIns', count), stop).catch((error: unknown) => {
          stop.requested = true;
          throw error;
        }),
      ),
    );
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    try {
      if (failure) throw failure.reason;
    } catch (error) {
      if (!(error instanceof GraphRequestError)) throw error;
      this.failTenantOnRejectedToken(error);
      // A resource is present in a snapshot exactly when it is collected, so partial logs go.
      await this.folder.remove('signIns');
      await this.folder.remove(STATE_FILE);
      this.setStatus('signIns', classifyFailure(error, SIGN_INS.permission, SIGN_INS.license));
      return;
    }
    const count = state.streams.interactiveUser.count + state.streams.nonInteractiveUser.count;
    this.setStatus('signIns', { status: 'collected', count, from: state.from, to: state.to });
  }
}

/**
 * Throws unless `body` is one JSON object with a string `id`, the shape of a singleton policy.
 * Anything else (an array, a page wrapper, an empty object from a proxy) is not the policy and
 * must not be saved as collected.
 */
function assertSingletonShape(body: unknown, url: string): asserts body is Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof (body as { id?: unknown }).id !== 'string') {
    throw new GraphRequestError(undefined, 'unexpectedShape', 'response is not a policy object with an "id"', undefined, url);
  }
}

function sortedResources(resources: SnapshotManifest['resources']): SnapshotManifest['resources'] {
  const sorted: SnapshotManifest['resources'] = {};
  for (const name of RESOURCE_NAMES) if (resources[name]) sorted[name] = resources[name];
  return sorted;
}

/**
 * Runs tasks with at most `limit` at once. The first error stops new tasks. It is raised once the
 * tasks already running have settled, so none still writes after the caller gives up the folder.
 */
export async function runPool(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  let stopped = false;
  const workers = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length && !stopped) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        stopped = true;
        throw error;
      }
    }
  });
  const outcomes = await Promise.allSettled(workers);
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}
