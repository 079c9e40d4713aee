import { GraphError } from '@microsoft/microsoft-graph-client';

import { TransportError } from './transport.js';

/** A Graph request that failed for good (after retries), with Graph's status, error code and request id. */
export class GraphRequestError extends Error {
  constructor(
    readonly httpStatus: number | undefined,
    readonly code: string | undefined,
    message: string,
    readonly requestId: string | undefined,
    readonly url: string,
  ) {
    super(message);
    this.name = 'GraphRequestError';
  }
}

/** Graph's JSON error body: `{ "error": { "code", "message", "innerError": { "request-id" } } }`. */
export interface GraphErrorBody {
  error?: { code?: string; message?: string; innerError?: { 'request-id'?: string; 'client-request-id'?: string; date?: string } };
}

/** Converts what the graph client or the transport threw into one error type. */
export function toGraphRequestError(error: unknown, url: string): GraphRequestError {
  if (error instanceof GraphRequestError) return error;
  if (error instanceof GraphError && error.code === 'TransportError') {
    // The graph client wraps errors thrown by middleware and keeps only `name: message` in `body`.
    const match = /^TransportError: (timeout|reset|truncated|tooLarge|tooDeep|nonJson|foreignOrigin|refused|untrustedCertificate): (.*)$/s.exec(String(error.body));
    return new GraphRequestError(undefined, match?.[1] ?? 'transport', match?.[2] ?? String(error.body), undefined, url);
  }
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? error.statusCode : undefined;
    const requestId = error.requestId ?? error.headers?.get('request-id') ?? undefined;
    return new GraphRequestError(status, error.code ?? undefined, error.message, requestId, url);
  }
  if (error instanceof TransportError) return new GraphRequestError(undefined, error.failure, error.message, undefined, url);
  return new GraphRequestError(undefined, undefined, (error as Error)?.message ?? String(error), undefined, url);
}

/** Reads a batch member's error body into the same error type as a direct request. */
export function memberError(status: number, body: unknown, headers: Record<string, string> | undefined, url: string): GraphRequestError {
  const detail = (body as GraphErrorBody | undefined)?.error;
  const requestId = detail?.innerError?.['request-id'] ?? headers?.['request-id'];
  return new GraphRequestError(status, detail?.code, detail?.message ?? `HTTP ${status}`, requestId, url);
}
