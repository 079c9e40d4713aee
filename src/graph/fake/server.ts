import { createHash, randomBytes, randomUUID } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { ResourceName } from '../../snapshot/resources.js';
import { MEMBERS_MAX_TOP, RESOURCE_ENDPOINTS, SIGN_INS, USERS_MAX_TOP_WITH_SIGN_IN_ACTIVITY } from '../endpoints.js';
import { createTestCertificate, type TestCertificate } from './cert.js';
import type { FakeTenantData } from './data.js';
import { FilterSyntaxError, matchesFilter, parseFilter, type FilterClause } from './filter.js';

export const FAULT_KINDS = [
  'throttle',
  'unavailable',
  'gatewayTimeout',
  'slow',
  'reset',
  'truncate',
  'forbidden',
  'noPremium',
  'notApplicable',
  'expireToken',
  'foreignNextLink',
  'httpNextLink',
  'loopNextLink',
  'oversized',
  'deepJson',
  'html',
  'htmlAsJson',
  'nonObjectItems',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * A scripted fault. It applies to requests whose path (without the version) contains `match`,
 * lets the first `after` of them through, then fires `times` times.
 */
export interface FakeFault {
  kind: FaultKind;
  match?: string;
  after?: number;
  times?: number;
  /** For throttle and unavailable: Retry-After in seconds, or `date` for an HTTP date 2 s ahead. */
  retryAfter?: number | 'date';
  /** For slow: delay before the response, in milliseconds. */
  delayMs?: number;
  /** Apply to `$batch` members instead of whole requests (throttle, unavailable, forbidden, foreignNextLink, loopNextLink). */
  inBatch?: boolean;
  /** For truncate: send half the body as a complete response (a proxy that cut it), instead of closing the connection. */
  framed?: boolean;
  /** For foreignNextLink: origin the next link points to instead of the server's own. */
  origin?: string;
  /** For oversized: size of the body sent, in bytes (default 1 MiB). */
  bytes?: number;
  /** For deepJson: levels of nested arrays in the body (default 100,000). */
  depth?: number;
}

export interface FakeTenant {
  tenantId: string;
  clientId: string;
  /** Expected client secret; certificate assertions are accepted without verification. */
  clientSecret?: string;
  data: FakeTenantData;
}

export interface FakeGraphOptions {
  tenants: FakeTenant[];
  port?: number;
  /** Delay added to every Graph response, in milliseconds. */
  latencyMs?: number;
  faults?: FakeFault[];
  tokenLifetimeSeconds?: number;
  /** Enforce Graph's report throttle (5 requests per 10 s per app per tenant) on sign-ins and reports. */
  reportsLimit?: { limit: number; windowMs: number };
  certificate?: TestCertificate;
}

/** Counters the tests and the benchmark read. */
export interface FakeStats {
  graphRequests: number;
  batchRequests: number;
  batchMembers: number;
  tokenRequests: number;
  faultsFired: Partial<Record<FaultKind, number>>;
  throttledByLimit: number;
  /** Each Graph request in arrival order: tenant served, path with query, status and Prefer header. */
  log: { tenantId: string; method: string; path: string; status: number; prefer: string | undefined }[];
}

interface GraphAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface TokenRecord {
  tenantId: string;
  expiresAt: number;
  revoked: boolean;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE_WITHOUT_DOCUMENTED_CAP = 999;

/**
 * HTTPS server on 127.0.0.1 that responds like Microsoft Graph and the Entra token endpoint for
 * the tenants it serves. Each tenant's data comes from a snapshot folder.
 */
export class FakeGraphServer {
  readonly stats: FakeStats = { graphRequests: 0, batchRequests: 0, batchMembers: 0, tokenRequests: 0, faultsFired: {}, throttledByLimit: 0, log: [] };
  readonly certificate: TestCertificate;
  private server: https.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly faultCounters: { seen: number; fired: number }[];
  private readonly queryCache = new Map<string, Record<string, unknown>[]>();
  private readonly reportStarts = new Map<string, number[]>();
  private readonly signInIndexes = new Map<string, Map<string, { items: Record<string, unknown>[]; times: Float64Array }>>();
  private readonly tenants: Map<string, FakeTenant>;
  private origin = '';

  constructor(private readonly options: FakeGraphOptions) {
    this.certificate = options.certificate ?? createTestCertificate();
    this.tenants = new Map(options.tenants.map((tenant) => [tenant.tenantId, tenant]));
    // Graph returns sign-ins newest first. Sorting once here keeps every filtered list in order.
    for (const tenant of options.tenants) {
      tenant.data.signIns?.sort((a, b) => createdAt(b) - createdAt(a));
    }
    this.faultCounters = (options.faults ?? []).map(() => ({ seen: 0, fired: 0 }));
  }

  /** Access tokens issued so far, for tests that scan output for leaks. */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  /** Base URL, e.g. `https://127.0.0.1:8443`; Graph and the authority both live under it. */
  get url(): string {
    return this.origin;
  }

  async start(): Promise<void> {
    this.server = https.createServer({ key: this.certificate.key, cert: this.certificate.cert }, (req, res) => {
      void this.handle(req, res).catch((error: Error) => {
        if (!res.headersSent) this.sendJson(res, 500, {}, graphError('generalException', error.message, randomUUID()));
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.origin = `https://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const body = await readBody(req);
    const segments = url.pathname.split('/').filter(Boolean);

    if (segments[0] === 'v1.0' || segments[0] === 'beta') {
      await this.handleGraph(req, res, url, body);
      return;
    }
    if (segments[1] === 'v2.0' && segments[2] === '.well-known' && segments[3] === 'openid-configuration') {
      this.sendJson(res, 200, {}, this.openIdConfiguration(segments[0]!));
      return;
    }
    if (segments[1] === 'oauth2' && segments[2] === 'v2.0' && segments[3] === 'token' && req.method === 'POST') {
      this.handleToken(res, segments[0]!, body);
      return;
    }
    if (segments[0] === 'common' && segments[1] === 'discovery' && segments[2] === 'instance') {
      this.sendJson(res, 200, {}, this.instanceDiscovery());
      return;
    }
    this.sendJson(res, 404, {}, { error: 'not_found', error_description: `the fake server has no ${url.pathname}` });
  }

  private openIdConfiguration(tenant: string): unknown {
    const base = `${this.origin}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      issuer: `${this.origin}/{tenantid}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
      response_types_supported: ['code', 'id_token', 'token'],
      tenant_region_scope: 'WW',
    };
  }

  private instanceDiscovery(): unknown {
    const host = new URL(this.origin).host;
    return {
      tenant_discovery_endpoint: `${this.origin}/{tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  }

  private handleToken(res: ServerResponse, tenantSegment: string, body: string): void {
    this.stats.tokenRequests++;
    const form = new URLSearchParams(body);
    const tenant = this.tenants.get(tenantSegment);
    const reject = (code: string, description: string): void =>
      this.sendJson(res, 400, {}, { error: code, error_description: description, error_codes: [], trace_id: randomUUID() });
    if (!tenant) return reject('invalid_tenant', `tenant ${tenantSegment} is not served by the fake server`);
    if (form.get('grant_type') !== 'client_credentials') return reject('unsupported_grant_type', 'only client_credentials is served');
    if (form.get('client_id') !== tenant.clientId) return reject('unauthorized_client', 'unknown client id for this tenant');
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret === null && assertion === null) return reject('invalid_client', 'no client secret or assertion');
    if (secret !== null && tenant.clientSecret !== undefined && secret !== tenant.clientSecret) {
      return reject('invalid_client', 'invalid client secret');
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? 3599;
    const token = `fake-${tenant.tenantId.slice(0, 8)}-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { tenantId: tenant.tenantId, expiresAt: Date.now() + lifetime * 1000, revoked: false });
    this.sendJson(res, 200, {}, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
  }

  private async handleGraph(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    this.stats.graphRequests++;
    // Graph counts a request against its limits when it arrives, before any latency.
    const arrivedAt = Date.now();
    const requestId = randomUUID();
    const [, version, ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    if (this.options.latencyMs) await delay(this.options.latencyMs);

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const record = token === undefined ? undefined : this.tokens.get(token);
    const logStatus = (tenantId: string, status: number): void => {
      this.stats.log.push({ tenantId, method: req.method ?? 'GET', path: `${path}${url.search}`, status, prefer: req.headers.prefer?.toString() });
    };
    if (!record || record.revoked || record.expiresAt <= Date.now()) {
      logStatus('', 401);
      const message = record ? 'Lifetime validation failed, the token is expired.' : 'Access token is empty or invalid.';
      this.sendJson(res, 401, { 'request-id': requestId }, graphError('InvalidAuthenticationToken', message, requestId));
      return;
    }
    const tenant = this.tenants.get(record.tenantId)!;

    const fault = this.takeFault(path, false);
    if (fault) {
      this.stats.faultsFired[fault.kind] = (this.stats.faultsFired[fault.kind] ?? 0) + 1;
      switch (fault.kind) {
        case 'reset':
          logStatus(tenant.tenantId, 0);
          req.socket.destroy();
          return;
        case 'slow':
          await delay(fault.delayMs ?? 1_000);
          break;
        case 'expireToken':
          record.revoked = true;
          logStatus(tenant.tenantId, 401);
          this.sendJson(res, 401, { 'request-id': requestId }, graphError('InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', requestId));
          return;
        case 'truncate': {
          const answer = this.answer(tenant, req.method ?? 'GET', version!, path, url.searchParams, body, requestId, arrivedAt);
          logStatus(tenant.tenantId, answer.status);
          const text = JSON.stringify(answer.body);
          const half = text.slice(0, Math.floor(text.length / 2));
          if (fault.framed) {
            this.sendRaw(res, answer.status, requestId, half);
            return;
          }
          res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'request-id': requestId });
          res.write(half);
          setImmediate(() => req.socket.destroy());
          return;
        }
        case 'foreignNextLink':
        case 'httpNextLink':
        case 'loopNextLink': {
          // A hostile or broken server: the page is real, its next link is not to be trusted.
          const answer = this.answer(tenant, req.method ?? 'GET', version!, path, url.searchParams, body, requestId, arrivedAt);
          const page = answer.body as { '@odata.nextLink'?: string };
          const own = `${this.origin}${url.pathname}${url.search}`;
          const next = page['@odata.nextLink'] ?? own;
          if (fault.kind === 'foreignNextLink') page['@odata.nextLink'] = `${fault.origin ?? 'https://graph.example.invalid'}${new URL(next).pathname}${new URL(next).search}`;
          else if (fault.kind === 'httpNextLink') page['@odata.nextLink'] = next.replace(/^https:/, 'http:');
          else page['@odata.nextLink'] = own;
          logStatus(tenant.tenantId, answer.status);
          this.sendJson(res, answer.status, { ...answer.headers, 'request-id': requestId }, page);
          return;
        }
        case 'nonObjectItems':
        case 'oversized':
        case 'deepJson':
        case 'html':
        case 'htmlAsJson': {
          logStatus(tenant.tenantId, 200);
          const text = hostileBody(fault);
          const contentType = fault.kind === 'html' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8';
          res.writeHead(200, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)), 'request-id': requestId });
          res.end(text);
          return;
        }
        default: {
          const answer = faultAnswer(fault, requestId);
          logStatus(tenant.tenantId, answer.status);
          this.sendJson(res, answer.status, answer.headers, answer.body);
          return;
        }
      }
    }

    const answer = this.answer(tenant, req.method ?? 'GET', version!, path, url.searchParams, body, requestId, arrivedAt);
    logStatus(tenant.tenantId, answer.status);
    this.sendJson(res, answer.status, { ...answer.headers, 'request-id': requestId }, answer.body);
  }

  /** Finds the next scripted fault for this path and counts it as fired. */
  private takeFault(path: string, inBatch: boolean): FakeFault | undefined {
    const faults = this.options.faults ?? [];
    for (let i = 0; i < faults.length; i++) {
      const fault = faults[i]!;
      if (Boolean(fault.inBatch) !== inBatch) continue;
      if (fault.match !== undefined && !path.includes(fault.match)) continue;
      const counter = this.faultCounters[i]!;
      counter.seen++;
      if (counter.seen <= (fault.after ?? 0)) continue;
      if (counter.fired >= (fault.times ?? 1)) continue;
      counter.fired++;
      return fault;
    }
    return undefined;
  }

  private answer(tenant: FakeTenant, method: string, version: string, path: string, query: URLSearchParams, body: string, requestId: string, arrivedAt: number): GraphAnswer {
    if (path === '/$batch' && method === 'POST') return this.answerBatch(tenant, version, body, requestId, arrivedAt);
    if (method !== 'GET') return errorAnswer(405, 'Request_BadRequest', `the fake server serves GET only for ${path}`, requestId);
    return this.answerGet(tenant, version, path, query, requestId, arrivedAt);
  }

  private answerBatch(tenant: FakeTenant, version: string, body: string, requestId: string, arrivedAt: number): GraphAnswer {
    this.stats.batchRequests++;
    let requests: { id?: string; method?: string; url?: string }[];
    try {
      requests = (JSON.parse(body) as { requests: typeof requests }).requests;
    } catch {
      return errorAnswer(400, 'BadRequest', 'Invalid batch payload format.', requestId);
    }
    if (!Array.isArray(requests) || requests.length === 0 || requests.length > 20) {
      return errorAnswer(400, 'BadRequest', 'Invalid batch payload format: 1 to 20 requests expected.', requestId);
    }
    const responses = requests.map((member) => {
      this.stats.batchMembers++;
      const memberId = randomUUID();
      const relative = (member.url ?? '').startsWith('/') ? (member.url ?? '') : `/${member.url ?? ''}`;
      const memberPath = relative.split('?')[0]!;
      const fault = this.takeFault(memberPath, true);
      let answer: GraphAnswer;
      const query = new URLSearchParams(relative.includes('?') ? relative.slice(relative.indexOf('?') + 1) : '');
      if (fault && (fault.kind === 'foreignNextLink' || fault.kind === 'loopNextLink')) {
        this.stats.faultsFired[fault.kind] = (this.stats.faultsFired[fault.kind] ?? 0) + 1;
        answer = this.answerGet(tenant, version, memberPath, query, memberId, arrivedAt);
        const own = `${this.origin}/${version}${relative}`;
        (answer.body as { '@odata.nextLink'?: string })['@odata.nextLink'] = fault.kind === 'loopNextLink' ? own : `${fault.origin ?? 'https://graph.example.invalid'}/${version}${relative}`;
      } else if (fault) {
        this.stats.faultsFired[fault.kind] = (this.stats.faultsFired[fault.kind] ?? 0) + 1;
        answer = faultAnswer(fault, memberId);
      } else if ((member.method ?? 'GET').toUpperCase() !== 'GET') {
        answer = errorAnswer(405, 'BadRequest', 'the fake server batches GET only', memberId);
      } else {
        answer = this.answerGet(tenant, version, memberPath, query, memberId, arrivedAt);
      }
      return { id: member.id, status: answer.status, headers: { 'content-type': 'application/json', ...answer.headers }, body: answer.body };
    });
    // Graph may return batch responses in any order; reversing keeps clients from relying on it.
    return { status: 200, headers: {}, body: { responses: responses.reverse() } };
  }

  private answerGet(tenant: FakeTenant, version: string, path: string, query: URLSearchParams, requestId: string, arrivedAt: number): GraphAnswer {
    const data = tenant.data;
    const members = /^\/groups\/([^/]+)\/members$/.exec(path);
    if (members) {
      const refusal = this.refusal(tenant, 'groupMembers', requestId);
      if (refusal) return refusal;
      const list = data.groupMembers?.[members[1]!];
      if (!list) return errorAnswer(404, 'Request_ResourceNotFound', `Resource '${members[1]}' does not exist or one of its queried reference-property objects are not present.`, requestId);
      return this.pageOf(`${tenant.tenantId}:members:${members[1]}`, list, version, path, query, MEMBERS_MAX_TOP, requestId);
    }

    if (path === SIGN_INS.path) {
      const refusal = this.refusal(tenant, 'signIns', requestId) ?? this.reportThrottle(tenant, requestId, arrivedAt);
      if (refusal) return refusal;
      return this.pageOf(`${tenant.tenantId}:signIns`, data.signIns ?? [], version, path, query, SIGN_INS.maxTop, requestId);
    }

    const endpoint = RESOURCE_ENDPOINTS.find((candidate) => candidate.path === path);
    if (!endpoint) return errorAnswer(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`, requestId);
    const refusal = this.refusal(tenant, endpoint.resource, requestId) ?? (/^\/(auditLogs|reports)\//.test(path) ? this.reportThrottle(tenant, requestId, arrivedAt) : undefined);
    if (refusal) return refusal;

    const selected = query.get('$select')?.split(',').map((field) => field.trim());
    if (endpoint.resource === 'users' && selected?.includes('signInActivity')) {
      const fieldStatus = data.manifest.fields?.['users.signInActivity'];
      if (fieldStatus?.status === 'unlicensed') return noPremiumAnswer(requestId);
      if (fieldStatus?.status === 'forbidden') return forbiddenAnswer(requestId);
    }
    if (endpoint.singleton) {
      const item = data.singletons[endpoint.resource];
      if (!item) return forbiddenAnswer(requestId);
      return { status: 200, headers: {}, body: { '@odata.context': `${this.origin}/${version}/$metadata#${endpoint.resource}/$entity`, ...item } };
    }
    let cap = endpoint.maxTop ?? MAX_PAGE_WITHOUT_DOCUMENTED_CAP;
    if (endpoint.resource === 'users' && selected?.includes('signInActivity')) cap = USERS_MAX_TOP_WITH_SIGN_IN_ACTIVITY;
    return this.pageOf(`${tenant.tenantId}:${endpoint.resource}`, data.collections[endpoint.resource] ?? [], version, path, query, cap, requestId);
  }

  /** Builds Graph's error response for a resource the manifest records as not collected, or that is absent. */
  private refusal(tenant: FakeTenant, resource: ResourceName, requestId: string): GraphAnswer | undefined {
    const status = tenant.data.manifest.resources?.[resource];
    const present =
      resource === 'signIns' ? tenant.data.signIns !== undefined
      : resource === 'groupMembers' ? tenant.data.groupMembers !== undefined
      : tenant.data.collections[resource] !== undefined || tenant.data.singletons[resource] !== undefined;
    if (status?.status === 'unlicensed') {
      if (status.license === 'Microsoft Intune') return notApplicableAnswer(requestId);
      if (status.license === 'Entra ID P1' || resource === 'signIns') return noPremiumAnswer(requestId);
      // NOTE: the exact body Graph sends for a missing P2 licence is not documented; this one
      // follows the wording seen for Identity Protection reads.
      return errorAnswer(403, 'Forbidden', 'Your tenant is not licensed for this feature.', requestId);
    }
    if (status?.status === 'failed') return errorAnswer(500, 'generalException', 'General exception while processing.', requestId);
    if (status?.status === 'forbidden' || !present) return forbiddenAnswer(requestId);
    return undefined;
  }

  private reportThrottle(tenant: FakeTenant, requestId: string, now: number): GraphAnswer | undefined {
    const limit = this.options.reportsLimit;
    if (!limit) return undefined;
    const starts = (this.reportStarts.get(tenant.tenantId) ?? []).filter((start) => now - start < limit.windowMs);
    this.reportStarts.set(tenant.tenantId, starts);
    if (starts.length >= limit.limit) {
      this.stats.throttledByLimit++;
      const waitSeconds = Math.max(1, Math.ceil((starts[0]! + limit.windowMs - now) / 1000));
      return { ...errorAnswer(429, 'TooManyRequests', 'Too many requests.', requestId), headers: { 'retry-after': String(waitSeconds) } };
    }
    starts.push(now);
    return undefined;
  }

  /**
   * Serves one page: filters (cached per tenant, resource and filter), orders sign-ins newest first, applies
   * `$select`, and links the next page with an opaque `$skiptoken` in an absolute URL.
   */
  private pageOf(
    cacheKey: string,
    all: Record<string, unknown>[],
    version: string,
    path: string,
    query: URLSearchParams,
    cap: number,
    requestId: string,
  ): GraphAnswer {
    const filter = query.get('$filter');
    const key = `${cacheKey}|${filter ?? ''}`;
    let items = this.queryCache.get(key);
    if (!items) {
      try {
        const clauses = filter ? parseFilter(filter) : [];
        if (cacheKey.endsWith(':signIns')) items = this.filterSignIns(cacheKey, all, clauses);
        else items = clauses.length > 0 ? all.filter((item) => matchesFilter(item, clauses, filterValue)) : all;
      } catch (error) {
        if (error instanceof FilterSyntaxError) return errorAnswer(400, 'BadRequest', `Invalid filter clause: ${error.message}`, requestId);
        throw error;
      }
      this.queryCache.set(key, items);
    }

    const requestedTop = query.get('$top');
    const top = Math.min(requestedTop === null ? DEFAULT_PAGE : Math.max(1, Number(requestedTop) || DEFAULT_PAGE), cap);
    let offset = 0;
    const skipToken = query.get('$skiptoken');
    if (skipToken !== null) {
      const decoded = decodeSkipToken(skipToken, key);
      if (decoded === undefined) return errorAnswer(400, 'Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.', requestId);
      offset = decoded;
    }
    const select = query.get('$select')?.split(',').map((field) => field.trim());
    const value = items.slice(offset, offset + top).map((item) => (select ? project(item, select) : item));
    const page: Record<string, unknown> = { '@odata.context': `${this.origin}/${version}/$metadata#${path.slice(1)}`, value };
    if (offset + top < items.length) {
      const next = new URLSearchParams(query);
      next.set('$skiptoken', encodeSkipToken(offset + top, key));
      page['@odata.nextLink'] = `${this.origin}/${version}${path}?${next.toString()}`;
    }
    return { status: 200, headers: {}, body: page };
  }

  /**
   * Filters sign-ins through an index by event type with binary search on the date range, so the
   * first page of a million-record log costs milliseconds, not seconds of filtering. Clauses other
   * than one event type and date comparisons are applied to the range one by one.
   */
  private filterSignIns(cacheKey: string, all: Record<string, unknown>[], clauses: FilterClause[]): Record<string, unknown>[] {
    let index = this.signInIndexes.get(cacheKey);
    if (!index) {
      index = new Map();
      const lists = new Map<string, Record<string, unknown>[]>([['*', all]]);
      for (const item of all) {
        for (const type of filterValue(item, 'signInEventTypes') as string[]) {
          let list = lists.get(type);
          if (!list) lists.set(type, (list = []));
          list.push(item);
        }
      }
      for (const [type, list] of lists) index.set(type, { items: list, times: Float64Array.from(list, createdAt) });
      this.signInIndexes.set(cacheKey, index);
    }

    const typeClauses = clauses.filter((clause) => clause.kind === 'any' && clause.property === 'signInEventTypes');
    const dateClauses = clauses.filter((clause) => clause.kind === 'compare' && clause.property === 'createdDateTime' && typeof clause.value === 'string');
    const rest = clauses.filter((clause) => !typeClauses.includes(clause) && !dateClauses.includes(clause));
    const list = typeClauses.length === 1 ? index.get((typeClauses[0] as { value: string }).value) : index.get('*');
    if (!list) return [];
    if (typeClauses.length > 1) rest.push(...typeClauses.slice(1));

    // Times are sorted newest first, so the matching range is [start, end).
    let start = 0;
    let end = list.items.length;
    for (const clause of dateClauses) {
      if (clause.kind !== 'compare') continue;
      const bound = Date.parse(String(clause.value));
      if (clause.op === 'le') start = Math.max(start, firstIndex(list.times, (time) => time <= bound));
      else if (clause.op === 'lt') start = Math.max(start, firstIndex(list.times, (time) => time < bound));
      else if (clause.op === 'ge') end = Math.min(end, firstIndex(list.times, (time) => time < bound));
      else if (clause.op === 'gt') end = Math.min(end, firstIndex(list.times, (time) => time <= bound));
      else rest.push(clause);
    }
    const range = list.items.slice(start, Math.max(start, end));
    return rest.length > 0 ? range.filter((item) => matchesFilter(item, rest, filterValue)) : range;
  }

  private sendRaw(res: ServerResponse, status: number, requestId: string, text: string): void {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'request-id': requestId });
    res.end(text);
  }

  private sendJson(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  }
}

/** Returns the first index whose time satisfies `test`, in times sorted newest first (binary search). */
function firstIndex(times: Float64Array, test: (time: number) => boolean): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(times[middle]!)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Parsed `createdDateTime` of sign-ins, so a filter over a million records parses each date once. */
const signInTimes = new WeakMap<object, number>();

function createdAt(item: Record<string, unknown>): number {
  let time = signInTimes.get(item);
  if (time === undefined) {
    time = Date.parse(String(item.createdDateTime));
    signInTimes.set(item, time);
  }
  return time;
}

/**
 * Returns a property for `$filter`: `createdDateTime` as epoch milliseconds, and
 * `signInEventTypes` as beta carries it or derived from `isInteractive` for v1.0-shaped records.
 */
function filterValue(item: Record<string, unknown>, property: string): unknown {
  if (property === 'createdDateTime' && item.createdDateTime !== undefined) return createdAt(item);
  if (property === 'signInEventTypes' && !Array.isArray(item.signInEventTypes)) {
    return [item.isInteractive === false ? 'nonInteractiveUser' : 'interactiveUser'];
  }
  return item[property];
}

function project(item: Record<string, unknown>, select: string[]): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  if (item['@odata.type'] !== undefined) projected['@odata.type'] = item['@odata.type'];
  if (item.id !== undefined) projected.id = item.id;
  for (const field of select) if (field in item) projected[field] = item[field];
  return projected;
}

/** Skip tokens carry the offset and a hash of the query, so a token from another query is rejected. */
function encodeSkipToken(offset: number, key: string): string {
  const tag = createHash('sha256').update(key).digest('base64url').slice(0, 10);
  return Buffer.from(`${tag}:${offset}:${randomBytes(6).toString('hex')}`).toString('base64url');
}

function decodeSkipToken(token: string, key: string): number | undefined {
  const [tag, offset] = Buffer.from(token, 'base64url').toString('utf8').split(':');
  if (tag !== createHash('sha256').update(key).digest('base64url').slice(0, 10)) return undefined;
  const value = Number(offset);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

function graphError(code: string, message: string, requestId: string): unknown {
  return { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId } } };
}

function errorAnswer(status: number, code: string, message: string, requestId: string): GraphAnswer {
  return { status, headers: { 'request-id': requestId }, body: graphError(code, message, requestId) };
}

function forbiddenAnswer(requestId: string): GraphAnswer {
  return errorAnswer(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.', requestId);
}

/** Builds Graph's error response on sign-in logs and signInActivity for a tenant without Entra ID P1 or P2. */
function noPremiumAnswer(requestId: string): GraphAnswer {
  return errorAnswer(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license", requestId);
}

/** Builds the error response of Intune endpoints on a tenant without Intune. */
function notApplicableAnswer(requestId: string): GraphAnswer {
  return errorAnswer(400, 'BadRequest', 'Request not applicable to target tenant.', requestId);
}

function faultAnswer(fault: FakeFault, requestId: string): GraphAnswer {
  const retryAfter = fault.retryAfter === 'date' ? new Date(Date.now() + 2_000).toUTCString() : String(fault.retryAfter ?? 1);
  switch (fault.kind) {
    case 'throttle':
      return { ...errorAnswer(429, 'TooManyRequests', 'Too many requests.', requestId), headers: { 'request-id': requestId, 'retry-after': retryAfter } };
    case 'unavailable':
      return { ...errorAnswer(503, 'serviceNotAvailable', 'The service is temporarily unavailable.', requestId), headers: { 'request-id': requestId, ...(fault.retryAfter !== undefined ? { 'retry-after': retryAfter } : {}) } };
    case 'gatewayTimeout':
      return errorAnswer(504, 'UnknownError', 'Gateway timeout.', requestId);
    case 'forbidden':
      return forbiddenAnswer(requestId);
    case 'noPremium':
      return noPremiumAnswer(requestId);
    case 'notApplicable':
      return notApplicableAnswer(requestId);
    default:
      return errorAnswer(500, 'generalException', `fault ${fault.kind} cannot apply here`, requestId);
  }
}

/** Builds the body of the faults that respond with HTTP 200 but something other than a Graph page. */
function hostileBody(fault: FakeFault): string {
  switch (fault.kind) {
    case 'oversized': {
      const bytes = fault.bytes ?? 1024 * 1024;
      return `{"value":["${'x'.repeat(Math.max(0, bytes - 14))}"]}`;
    }
    case 'nonObjectItems':
      return '{"value":[null,1,"text"]}';
    case 'deepJson': {
      const depth = fault.depth ?? 100_000;
      return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    }
    default:
      return '<!DOCTYPE html><html><head><title>Sign in to continue</title></head><body><p>Proxy login</p></body></html>';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
