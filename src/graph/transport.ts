import http from 'node:http';
import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';

/**
 * Failure below HTTP. `timeout`, `reset` and `truncated` are worth a retry for an idempotent
 * request. The others describe a hostile or broken response, which a retry would only repeat.
 */
export type TransportFailure = 'timeout' | 'reset' | 'truncated' | 'tooLarge' | 'tooDeep' | 'nonJson' | 'foreignOrigin' | 'refused' | 'untrustedCertificate';

/** Failures that a retry cannot cure. */
export const PERMANENT_FAILURES: ReadonlySet<TransportFailure> = new Set(['tooLarge', 'tooDeep', 'nonJson', 'foreignOrigin', 'untrustedCertificate']);

/** Largest response body read, 256 MiB; a Graph page of 999 users with every field is a few MiB. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;

/** Node's error codes for a server certificate that does not chain to a trusted root or does not match. */
const CERTIFICATE_ERRORS = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(`${failure}: ${message}`);
    this.name = 'TransportError';
  }
}

export interface TransportOptions {
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots; used against the fake server. */
  ca?: string | string[];
  /** Socket idle timeout per request, in milliseconds. */
  timeoutMs?: number;
  /** Cap on open sockets, so one tenant cannot exhaust file descriptors. */
  maxSockets?: number;
  /** Largest response body accepted, in bytes; DEFAULT_MAX_BODY_BYTES when unset. */
  maxBodyBytes?: number;
}

export interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * HTTPS transport with its own keep-alive agent. Each tenant gets its own transport, so
 * no connection, and no TLS session, is shared between two tenants.
 */
export class Transport {
  private readonly agent: https.Agent;
  private readonly timeoutMs: number;
  readonly maxBodyBytes: number;

  constructor(options: TransportOptions = {}) {
    const extra = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 16,
      // One secure context built up front: passing `ca` instead would rebuild the trust store for
      // every connection and hash the whole list into every request's agent key.
      ...(extra.length > 0 ? { secureContext: createSecureContext({ ca: [...rootCertificates, ...extra] }) } : {}),
    });
    this.timeoutMs = options.timeoutMs ?? 100_000;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /**
   * Sends one request and reads the whole body. A body shorter than its Content-Length, a
   * reset socket or an idle socket raises TransportError, so the caller can retry.
   */
  send(request: RawRequest): Promise<RawResponse> {
    const url = new URL(request.url);
    if (url.protocol !== 'https:') {
      return Promise.reject(new TransportError('reset', `refusing a non-HTTPS URL: ${url.origin}`));
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (failure: TransportFailure, message: string): void => {
        if (settled) return;
        settled = true;
        reject(new TransportError(failure, message));
      };
      const headers: Record<string, string> = { ...request.headers };
      if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));

      const req = https.request(url, { method: request.method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        const tooLarge = (): void => {
          fail('tooLarge', `response body from ${url.pathname} is larger than ${this.maxBodyBytes} bytes`);
          req.destroy();
        };
        if (Number(res.headers['content-length'] ?? 0) > this.maxBodyBytes) {
          tooLarge();
          return;
        }
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > this.maxBodyBytes) {
            tooLarge();
            return;
          }
          chunks.push(chunk);
        });
        res.on('aborted', () => fail('truncated', `response body from ${url.pathname} ended early`));
        res.on('error', (error) => fail('truncated', `response body from ${url.pathname} failed: ${error.message}`));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const expected = res.headers['content-length'];
          if (!res.complete || (expected !== undefined && Number(expected) !== body.length)) {
            fail('truncated', `response body from ${url.pathname} has ${body.length} of ${expected ?? '?'} bytes`);
            return;
          }
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body });
        });
      });
      req.setTimeout(this.timeoutMs, () => {
        req.destroy();
        fail('timeout', `no response from ${url.host} within ${this.timeoutMs} ms`);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') fail('refused', `connection to ${url.host} refused`);
        else if (error.code !== undefined && CERTIFICATE_ERRORS.has(error.code)) fail('untrustedCertificate', `the certificate of ${url.host} is not trusted (${error.code})`);
        else fail('reset', `request to ${url.host} failed: ${error.code ?? error.message}`);
      });
      if (request.body !== undefined) req.write(request.body);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
