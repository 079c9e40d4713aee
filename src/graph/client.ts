import { Client } from '@microsoft/microsoft-graph-client';
import type { Logger } from 'pino';

import { TenantTokenProvider, type AppSecretSource } from './auth.js';
import type { Clock } from './clock.js';
import { GraphRequestError, memberError, toGraphRequestError } from './errors.js';
import { AuthMiddleware, RetryMiddleware, TransportMiddleware, emptyStats, retryBudget, type RequestStats } from './middleware.js';
import { SlidingWindowLimiter } from './rate-limit.js';
import { RETRYABLE_STATUSES, parseRetryAfter, retryDelay, type RetryPolicy } from './retry.js';
import { Transport } from './transport.js';

export type GraphVersion = 'v1.0' | 'beta';

export interface GraphClientOptions {
  tenantId: string;
  clientId: string;
  secret: AppSecretSource;
  /** Graph root without version, e.g. `https://graph.microsoft.com`. */
  graphRoot: string;
  authorityHost: string;
  disableInstanceDiscovery: boolean;
  clock: Clock;
  retry: RetryPolicy;
  logger: Logger;
  /** Extra trusted CA certificates (PEM), for the fake server. */
  ca?: string | string[];
  timeoutMs?: number;
  /** Largest response body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Pace of the identity and access report endpoints; undefined turns pacing off. */
  reportsRate?: { limit: number; windowMs: number };
}

/** One page of a collection: its items and the absolute URL of the next page, if any. */
export interface Page<T> {
  items: T[];
  nextLink: string | undefined;
}

export interface BatchResult {
  status: number;
  body: unknown;
  error?: GraphRequestError;
}

/** State of one round of batches: final results, attempts per member, and members to retry. */
interface BatchRound {
  results: Map<string, BatchResult>;
  attempts: Map<string, number>;
  retryLater: [string, string][];
  waitMs: number;
}

/** Graph allows at most 20 requests in one `$batch` (https://learn.microsoft.com/graph/json-batching). */
export const BATCH_LIMIT = 20;

const REPORTS_WINDOW_MARGIN = 1.1;

/**
 * Maximum pages read for one collection. 10,000 pages of 999 users is ten million objects, beyond any
 * tenant; a server that keeps sending next links past it is looping.
 */
export const MAX_PAGES = 10_000;

/** Batches in flight at once for one tenant; each counts as one request against throttling. */
const BATCH_CONCURRENCY = 4;

/**
 * Graph client for one tenant. It owns its credential, token cache, keep-alive agent and
 * counters, so two tenants collected at once share nothing.
 *
 * Requests go through `@microsoft/microsoft-graph-client` with a custom middleware chain
 * (retry, auth, transport) instead of the SDK's default chain. The SDK's RetryHandler sleeps on
 * the real clock and does not retry resets or truncated bodies. Its fetch transport cannot
 * trust an extra CA (the fake server's) inside one process. The SDK still builds request URLs
 * and turns Graph's error bodies into errors with status, code and request id.
 */
export class GraphClient {
  readonly stats: RequestStats = emptyStats();
  private readonly sdk: Client;
  private readonly transport: Transport;
  private readonly reportsLimiter: SlidingWindowLimiter | undefined;
  private readonly tokens: TenantTokenProvider;
  private readonly origin: string;

  constructor(private readonly options: GraphClientOptions) {
    this.transport = new Transport({
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    });
    const tokens = (this.tokens = new TenantTokenProvider({
      tenantId: options.tenantId,
      clientId: options.clientId,
      secret: options.secret,
      authorityHost: options.authorityHost,
      graphRoot: options.graphRoot,
      disableInstanceDiscovery: options.disableInstanceDiscovery,
      transport: this.transport,
    }));
    const retry = new RetryMiddleware(options.retry, options.clock, tokens, this.stats, options.logger);
    this.origin = new URL(options.graphRoot).origin;
    const auth = new AuthMiddleware(tokens, this.origin);
    const send = new TransportMiddleware(this.transport, this.stats, options.logger, options.clock);
    retry.setNext(auth);
    auth.setNext(send);
    const root = new URL(options.graphRoot);
    this.sdk = Client.initWithMiddleware({
      middleware: retry,
      baseUrl: root.origin,
      defaultVersion: 'v1.0',
      customHosts: new Set([root.hostname]),
    });
    // The window is 10% longer than Graph's: requests leave here evenly spaced but arrive with
    // jitter, and six arrivals within Graph's window cost a 429 and a wait of whole seconds.
    this.reportsLimiter = options.reportsRate
      ? new SlidingWindowLimiter(options.reportsRate.limit, options.reportsRate.windowMs * REPORTS_WINDOW_MARGIN, options.clock)
      : undefined;
  }

  /** Gets a first token, so bad credentials or consent fail before any file is written. */
  async authenticate(): Promise<void> {
    await this.tokens.token();
  }

  /** Absolute URL of a path such as `/users?$top=999` on the given version. */
  url(path: string, version: GraphVersion = 'v1.0'): string {
    return `${this.options.graphRoot.replace(/\/+$/, '')}/${version}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  /** GETs one URL (absolute, or a path on `version`), retried as the chain decides. */
  async get<T>(pathOrUrl: string, version: GraphVersion = 'v1.0'): Promise<T> {
    const url = /^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl) ? pathOrUrl : this.url(pathOrUrl, version);
    this.assertGraphOrigin(url);
    if (this.reportsLimiter && isReportPath(new URL(url).pathname)) await this.reportsLimiter.acquire();
    try {
      return (await this.sdk.api(url).get()) as T;
    } catch (error) {
      throw toGraphRequestError(error, url);
    }
  }

  /**
   * Refuses a URL (a next link from a response) outside the Graph origin: following it would send
   * the tenant's bearer token, and take its data, from a host the server named.
   */
  private assertGraphOrigin(url: string): void {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      throw new GraphRequestError(undefined, 'foreignOrigin', `refusing to follow a link that is not a URL: ${url.slice(0, 200)}`, undefined, url);
    }
    if (origin !== this.origin) {
      throw new GraphRequestError(undefined, 'foreignOrigin', `refusing to follow a link to ${origin}, which is not the Graph origin ${this.origin}; the access token was not sent`, undefined, url);
    }
  }

  /** GETs the page at `url` and returns its items and next link. */
  async page<T>(url: string): Promise<Page<T>> {
    const body = await this.get<{ value?: T[]; '@odata.nextLink'?: string }>(url);
    if (body === null || typeof body !== 'object' || !Array.isArray(body.value)) {
      throw new GraphRequestError(undefined, 'unexpectedShape', 'response has no "value" array', undefined, url);
    }
    if (body.value.some((item) => item === null || typeof item !== 'object' || Array.isArray(item))) {
      throw new GraphRequestError(undefined, 'unexpectedShape', 'response has a "value" item that is not an object', undefined, url);
    }
    const nextLink = body['@odata.nextLink'];
    if (nextLink !== undefined && typeof nextLink !== 'string') {
      throw new GraphRequestError(undefined, 'unexpectedShape', 'response has a "@odata.nextLink" that is not a string', undefined, url);
    }
    return { items: body.value, nextLink };
  }

  /**
   * Follows `@odata.nextLink` from `firstUrl` to the last page; never builds a skip token itself.
   * The next page is requested as soon as its link arrives, so the caller's work on one page
   * (parsing, writing to disk) overlaps the round trip of the next. A caller that stops early
   * leaves at most one page read for nothing.
   */
  async *pages<T>(firstUrl: string): AsyncGenerator<Page<T>> {
    let pending: Promise<Page<T>> | undefined = this.page<T>(firstUrl);
    const seen = new Set<string>([firstUrl]);
    while (pending !== undefined) {
      const page: Page<T> = await pending;
      if (page.nextLink !== undefined) {
        // Graph's skip tokens always move forward, so a link seen before is a loop.
        if (seen.has(page.nextLink)) {
          throw new GraphRequestError(undefined, 'nextLinkLoop', `the server sent a next link it had already sent, after ${seen.size} pages`, undefined, page.nextLink);
        }
        if (seen.size >= MAX_PAGES) {
          throw new GraphRequestError(undefined, 'tooManyPages', `the server sent more than ${MAX_PAGES} pages`, undefined, page.nextLink);
        }
        seen.add(page.nextLink);
      }
      pending = page.nextLink === undefined ? undefined : this.page<T>(page.nextLink);
      // The `await` above raises a rejection on the next turn. This handler only keeps Node from
      // reporting it as unhandled when the caller stops before then.
      pending?.catch(() => undefined);
      yield page;
    }
  }

  /**
   * Runs GETs (paths relative to `version`) through `$batch`, 20 per batch and a few batches at
   * once. A member that receives 429, 503 or 504 is sent again in a later batch after its own
   * Retry-After or backoff, so one throttled member never repeats the others. Returns each
   * request's final result.
   */
  async batchGet(paths: Map<string, string>, version: GraphVersion = 'v1.0'): Promise<Map<string, BatchResult>> {
    const results = new Map<string, BatchResult>();
    const attempts = new Map<string, number>();
    let pending = [...paths.entries()];
    while (pending.length > 0) {
      const round: BatchRound = { results, attempts, retryLater: [], waitMs: 0 };
      const chunks: [string, string][][] = [];
      for (let start = 0; start < pending.length; start += BATCH_LIMIT) chunks.push(pending.slice(start, start + BATCH_LIMIT));
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < chunks.length) await this.sendBatch(chunks[next++]!, version, round);
      };
      await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, chunks.length) }, worker));
      pending = round.retryLater;
      if (pending.length > 0) {
        this.options.logger.info({ members: pending.length, waitMs: round.waitMs }, 'retrying throttled batch members');
        const budget = retryBudget.getStore();
        if (budget !== undefined) budget.remainingMs -= round.waitMs;
        await this.options.clock.sleep(round.waitMs);
      }
    }
    return results;
  }

  private async sendBatch(chunk: [string, string][], version: GraphVersion, round: BatchRound): Promise<void> {
    const batchUrl = this.url('/$batch', version);
    let response: { responses?: { id: string; status: number; body?: unknown; headers?: Record<string, string> }[] };
    try {
      const requests = chunk.map(([id, url]) => ({ id, method: 'GET', url, headers: { prefer: 'include-unknown-enum-members' } }));
      response = (await this.sdk.api(batchUrl).post({ requests })) as typeof response;
    } catch (error) {
      const failure = toGraphRequestError(error, batchUrl);
      for (const [id] of chunk) round.results.set(id, { status: failure.httpStatus ?? 0, body: undefined, error: failure });
      return;
    }

    const byId = new Map((response.responses ?? []).map((member) => [member.id, member]));
    for (const [id, path] of chunk) {
      const member = byId.get(id);
      const url = this.url(path, version);
      if (!member) {
        const error = new GraphRequestError(undefined, 'missingBatchResponse', 'no response for this batch member', undefined, url);
        round.results.set(id, { status: 0, body: undefined, error });
        continue;
      }
      const attempt = round.attempts.get(id) ?? 1;
      if (RETRYABLE_STATUSES.has(member.status) && attempt < this.options.retry.maxAttempts) {
        round.attempts.set(id, attempt + 1);
        if (member.status === 429) this.stats.throttled++;
        this.stats.retries++;
        const retryAfter = parseRetryAfter(headerValue(member.headers, 'retry-after'), this.options.clock.now());
        const wait = retryDelay(this.options.retry, attempt, retryAfter);
        const budget = retryBudget.getStore();
        if ((retryAfter !== undefined && retryAfter > this.options.retry.maxRetryAfterMs) || (budget !== undefined && Math.max(wait, round.waitMs) > budget.remainingMs)) {
          this.options.logger.warn(
            { status: member.status, retryAfter: headerValue(member.headers, 'retry-after'), budgetLeftMs: budget?.remainingMs },
            'not retrying a batch member: the wait asked for is over the cap or the retry budget of this resource',
          );
          round.results.set(id, { status: member.status, body: member.body, error: memberError(member.status, member.body, member.headers, url) });
          continue;
        }
        round.waitMs = Math.max(round.waitMs, wait);
        round.retryLater.push([id, path]);
        continue;
      }
      if (member.status >= 200 && member.status < 300) round.results.set(id, { status: member.status, body: member.body });
      else round.results.set(id, { status: member.status, body: member.body, error: memberError(member.status, member.body, member.headers, url) });
    }
  }

  /** Path of an absolute Graph URL relative to its version root, for use inside `$batch`. */
  relativePath(url: string): string {
    this.assertGraphOrigin(url);
    const parsed = new URL(url);
    const withoutVersion = parsed.pathname.replace(/^\/(v1\.0|beta)/, '');
    return `${withoutVersion}${parsed.search}`;
  }

  close(): void {
    this.transport.close();
  }
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** Tells whether a path is an identity and access report, which Graph throttles at 5 requests per 10 s per app per tenant. */
function isReportPath(pathname: string): boolean {
  return /^\/(v1\.0|beta)\/(auditLogs|reports)\//.test(pathname);
}
