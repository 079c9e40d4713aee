/** Retry settings for GET requests; the defaults suit Graph's documented throttling behaviour. */
export interface RetryPolicy {
  /** Attempts in total, including the first one. */
  maxAttempts: number;
  /** First backoff wait in milliseconds when Graph sends no Retry-After. */
  baseDelayMs: number;
  /** Maximum backoff wait in milliseconds. */
  maxDelayMs: number;
  /** Longest Retry-After honoured, in milliseconds. A longer value fails the request instead of stalling the run. */
  maxRetryAfterMs: number;
  /** Total retry waits allowed to one resource (all its pages), in milliseconds. */
  resourceBudgetMs: number;
  /** Source of randomness for jitter; tests replace it. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 5 * 60_000,
  resourceBudgetMs: 30 * 60_000,
  random: Math.random,
};

/** Statuses Graph documents as transient: throttled, unavailable, gateway timeout. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/**
 * Parses Retry-After, which is either delta-seconds or an HTTP date (RFC 9110 section 10.2.3),
 * into a wait in milliseconds. Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Wait before retry number `retry` (1 for the first retry). Retry-After wins when present;
 * otherwise the wait doubles per retry up to the cap, with jitter over its upper half so that
 * parallel requests do not retry in step.
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}
