import { AsyncLocalStorage } from 'node:async_hooks';

import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Logger } from 'pino';

import type { TenantTokenProvider } from './auth.js';
import type { Clock } from './clock.js';
import { RETRYABLE_STATUSES, parseRetryAfter, retryDelay, type RetryPolicy } from './retry.js';
import { MAX_JSON_DEPTH } from '../snapshot/json-input.js';
import { PERMANENT_FAILURES, TransportError, type Transport } from './transport.js';

/** Retry waits left to the resource being read; the collector starts one budget per resource. */
export interface RetryBudget {
  remainingMs: number;
}

/** Carries the current resource's retry budget through every request it makes. */
export const retryBudget = new AsyncLocalStorage<RetryBudget>();

/** Counters one tenant's client keeps, for the progress bar, the summary and the benchmark. */
export interface RequestStats {
  /** HTTP requests sent to Graph, each `$batch` counted once. */
  requests: number;
  retries: number;
  throttled: number;
  transportFailures: number;
  tokenRefreshes: number;
}

export function emptyStats(): RequestStats {
  return { requests: 0, retries: 0, throttled: 0, transportFailures: 0, tokenRefreshes: 0 };
}

function requestUrl(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

function requestMethod(context: Context): string {
  return (context.options?.method ?? 'GET').toUpperCase();
}

/** GETs are safe to repeat, and so is a `$batch` POST, because collect only batches GETs. */
function isIdempotent(context: Context): boolean {
  const method = requestMethod(context);
  return method === 'GET' || (method === 'POST' && new URL(requestUrl(context)).pathname.endsWith('/$batch'));
}

function headerRecord(headers: ConstructorParameters<typeof Headers>[0] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (headers === undefined) return record;
  for (const [name, value] of new Headers(headers)) record[name] = value;
  return record;
}

/**
 * Retries idempotent requests on 429, 503, 504, timeouts, resets and truncated bodies, waiting
 * Retry-After when Graph sends it, otherwise a capped exponential backoff with jitter. Waits go
 * through the injected clock. A 401 `InvalidAuthenticationToken` (token expired early or was
 * revoked) gets one retry with a new token.
 */
export class RetryMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly clock: Clock,
    private readonly tokens: TenantTokenProvider,
    private readonly stats: RequestStats,
    private readonly logger: Logger,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const retryable = isIdempotent(context);
    let refreshedToken = false;
    for (let attempt = 1; ; attempt++) {
      const attemptContext: Context = { ...context, response: undefined };
      let failure: TransportError | undefined;
      try {
        await this.next!.execute(attemptContext);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        failure = error;
        this.stats.transportFailures++;
      }
      const response = attemptContext.response;

      if (response?.status === 401 && !refreshedToken && (await isExpiredToken(response))) {
        refreshedToken = true;
        this.stats.tokenRefreshes++;
        const sent = new Headers(attemptContext.options?.headers).get('authorization')?.replace(/^Bearer /, '');
        this.tokens.invalidate(sent);
        this.logger.info({ url: pathOf(context) }, 'Graph rejected the access token; requesting a new one');
        attempt--;
        continue;
      }

      const transient = (failure !== undefined && !PERMANENT_FAILURES.has(failure.failure)) || (response !== undefined && RETRYABLE_STATUSES.has(response.status));
      if (!transient || !retryable || attempt >= this.policy.maxAttempts) {
        if (failure) throw failure;
        context.response = response;
        return;
      }

      const sentRetryAfter = response?.headers.get('retry-after') ?? undefined;
      const retryAfter = parseRetryAfter(sentRetryAfter, this.clock.now());
      const wait = retryDelay(this.policy, attempt, retryAfter);
      const budget = retryBudget.getStore();
      // A Retry-After beyond the cap is a broken or hostile server, not throttling: waiting it out
      // would stall the whole run, so the request fails with the status Graph sent.
      if ((retryAfter !== undefined && retryAfter > this.policy.maxRetryAfterMs) || (budget !== undefined && wait > budget.remainingMs)) {
        this.logger.warn(
          { url: pathOf(context), status: response?.status, retryAfter: sentRetryAfter, budgetLeftMs: budget?.remainingMs, maxRetryAfterMs: this.policy.maxRetryAfterMs },
          'not retrying: the wait asked for is over the cap or the retry budget of this resource',
        );
        if (failure) throw failure;
        context.response = response;
        return;
      }
      if (budget !== undefined) budget.remainingMs -= wait;

      if (response?.status === 429) this.stats.throttled++;
      this.stats.retries++;
      this.logger.info(
        {
          url: pathOf(context),
          status: response?.status,
          requestId: response?.headers.get('request-id') ?? undefined,
          failure: failure?.failure,
          attempt,
          waitMs: wait,
        },
        'retrying Graph request',
      );
      await this.clock.sleep(wait);
    }
  }
}

/** Tells whether a 401 is Graph's expired-token error (`InvalidAuthenticationToken`). */
async function isExpiredToken(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: string } };
    return body.error?.code === 'InvalidAuthenticationToken';
  } catch {
    return false;
  }
}

function pathOf(context: Context): string {
  const url = new URL(requestUrl(context));
  return url.pathname;
}

/**
 * Adds the bearer token and the headers Graph needs on every request. The token goes only to the
 * Graph origin (scheme, host and port): a link that points elsewhere is refused before it is sent.
 */
export class AuthMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly tokens: TenantTokenProvider,
    private readonly graphOrigin: string,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const origin = new URL(requestUrl(context)).origin;
    if (origin !== this.graphOrigin) {
      throw new TransportError('foreignOrigin', `refusing to send the access token to ${origin}, which is not the Graph origin ${this.graphOrigin}`);
    }
    const headers = new Headers(context.options?.headers);
    headers.set('authorization', `Bearer ${await this.tokens.token()}`);
    // Without this header Graph replaces enum members added after `unknownFutureValue` (such as
    // grant control `riskRemediation` or platform `linux`) with `unknownFutureValue`.
    headers.set('prefer', 'include-unknown-enum-members');
    context.options = { ...context.options, headers: headerRecord(headers) };
    await this.next!.execute(context);
  }
}

/**
 * Sends the request over the tenant's transport and logs its request id and status, never its
 * headers, which carry the token. It rejects a 2xx JSON body that does not end like a JSON
 * document, because that is a truncated body from a proxy that still framed it as complete.
 */
export class TransportMiddleware implements Middleware {
  constructor(
    private readonly transport: Transport,
    private readonly stats: RequestStats,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = requestUrl(context);
    const method = requestMethod(context);
    const body = context.options?.body;
    const started = this.clock.now();
    this.stats.requests++;
    const raw = await this.transport.send({
      method,
      url,
      headers: headerRecord(context.options?.headers),
      ...(typeof body === 'string' ? { body } : {}),
    });
    const requestId = raw.headers['request-id'];
    this.logger.debug({ method, path: new URL(url).pathname, status: raw.status, requestId, ms: this.clock.now() - started }, 'Graph request');

    const contentType = raw.headers['content-type'] ?? '';
    if (raw.status >= 200 && raw.status < 300 && raw.body.length > 0) {
      const pathname = new URL(url).pathname;
      // Graph returns a JSON object for every read. Anything else (a captive portal's or a
      // proxy's HTML page) is not data, and a retry would fetch the same page again.
      const mediaType = contentType.split(';')[0]!.trim().toLowerCase() || 'no content type';
      if (!mediaType.includes('json')) throw new TransportError('nonJson', `non-JSON response (${mediaType}) from ${pathname}`);
      if (!startsLikeJson(raw.body)) throw new TransportError('nonJson', `non-JSON response (labelled ${mediaType}, but the body is not JSON) from ${pathname}`);
      if (!endsLikeJson(raw.body)) throw new TransportError('truncated', `response body from ${pathname} is not complete JSON`);
      if (nestingDepth(raw.body) > MAX_JSON_DEPTH) {
        throw new TransportError('tooDeep', `response body from ${pathname} is nested more than ${MAX_JSON_DEPTH} levels deep`);
      }
    }
    const noBody = raw.status === 204 || raw.status === 304;
    context.response = new Response(noBody ? null : raw.body, { status: raw.status, headers: raw.headers });
  }
}

/** Tells whether a body starts with `{` or `[` (after whitespace and a UTF-8 byte order mark). */
function startsLikeJson(body: Buffer): boolean {
  let i = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  for (; i < body.length; i++) {
    const byte = body[i]!;
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b || byte === 0x5b;
  }
  return false;
}

/**
 * Returns the maximum nesting of objects and arrays in a JSON body, read from its bytes before
 * parsing. A hostile body nested thousands of levels deep then fails one resource instead of
 * overflowing the stack of the code that walks the parsed value.
 */
export function nestingDepth(body: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
      continue;
    }
    if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return deepest;
}

/**
 * Tells whether a body ends with `}` or `]` (after whitespace). It costs a few byte reads where a
 * full parse would double the CPU time per page.
 * NOTE: a body cut exactly after a nested object still passes; the graph client's parse then fails
 * without a retry.
 */
function endsLikeJson(body: Buffer): boolean {
  for (let i = body.length - 1; i >= 0; i--) {
    const byte = body[i]!;
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7d || byte === 0x5d;
  }
  return false;
}
