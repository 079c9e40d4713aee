import { readFile } from 'node:fs/promises';

import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';

import { UserError } from '../errors.js';
import { TransportError, type Transport } from './transport.js';

/** App credential: a secret read from an environment variable, or a certificate file. */
export type AppSecretSource = { kind: 'secretEnv'; variable: string } | { kind: 'certificate'; path: string };

export interface AppCredentialOptions {
  tenantId: string;
  clientId: string;
  secret: AppSecretSource;
  authorityHost: string;
  /** Graph root without version; the token scope is `<graphRoot>/.default`. */
  graphRoot: string;
  /** Set when the authority host is not a Microsoft one (the fake server), where instance discovery would fail. */
  disableInstanceDiscovery: boolean;
  transport: Transport;
}

/**
 * Routes the identity library's HTTP calls through the tenant's own transport, so token requests
 * use the same CA settings and never share a connection with another tenant.
 */
function transportHttpClient(transport: Transport, onFailure: (error: TransportError) => void): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      try {
        return await sendThrough(transport, request);
      } catch (error) {
        // The identity library reports any network failure as an endpoint resolution error, so
        // the cause is kept here to name it.
        if (error instanceof TransportError) onFailure(error);
        throw error;
      }
    },
  };
}

async function sendThrough(transport: Transport, request: PipelineRequest): Promise<PipelineResponse> {
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) headers[name] = value;
  let body: string | undefined;
  if (typeof request.body === 'string') body = request.body;
  else if (request.body !== undefined && request.body !== null) {
    throw new Error('token requests with a non-string body are not supported');
  }
  const response = await transport.send({ method: request.method, url: request.url, headers, ...(body !== undefined ? { body } : {}) });
  return {
    request,
    status: response.status,
    headers: createHttpHeaders(response.headers),
    bodyAsText: response.body.toString('utf8'),
  };
}

/**
 * Source of access tokens for one tenant. It wraps one credential object, which caches its
 * token in memory. `invalidate` drops that credential, so the next call fetches a new token
 * when Graph rejects a token as expired before its stated expiry.
 */
export class TenantTokenProvider {
  private credential: TokenCredential | undefined;
  private cached: AccessToken | undefined;
  private readonly scope: string;

  constructor(private readonly options: AppCredentialOptions) {
    this.scope = `${options.graphRoot.replace(/\/+$/, '')}/.default`;
  }

  private pending: Promise<AccessToken> | undefined;
  private networkFailure: TransportError | undefined;

  async token(): Promise<string> {
    // The identity library refreshes a token some minutes before expiry. This extra cache keeps
    // the per-request cost to one comparison, and `pending` lets concurrent requests share one
    // token request.
    if (this.cached && this.cached.expiresOnTimestamp - Date.now() > 120_000) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).token;
  }

  /**
   * Drops the token Graph rejected, and the credential that cached it, so the next call gets a
   * new token. A token other than `rejected` is kept: a parallel request already replaced it.
   */
  invalidate(rejected: string | undefined): void {
    if (rejected !== undefined && this.cached !== undefined && this.cached.token !== rejected) return;
    this.cached = undefined;
    this.credential = undefined;
  }

  private async fetchToken(): Promise<AccessToken> {
    this.credential ??= await this.createCredential();
    let token: AccessToken | null;
    this.networkFailure = undefined;
    try {
      token = await this.credential.getToken(this.scope);
    } catch (error) {
      const network = this.networkFailure as TransportError | undefined;
      if (network?.failure === 'refused') {
        throw new UserError(
          `cannot reach the token authority ${this.options.authorityHost}: the connection was refused`,
          'check the network, the proxy settings and --authority-host; the credentials were not tried',
        );
      }
      if (network?.failure === 'untrustedCertificate') {
        throw new UserError(
          `cannot reach the token authority ${this.options.authorityHost}: ${network.message.replace(/^untrustedCertificate: /, '')}`,
          'a TLS-inspecting proxy needs its CA certificate in NODE_EXTRA_CA_CERTS; the credentials were not tried',
        );
      }
      // The identity library's messages carry the Entra error code (AADSTS...) and no secret.
      throw new UserError(
        `sign-in as app ${this.options.clientId} in tenant ${this.options.tenantId} failed: ${(error as Error).message.split('\n')[0]}`,
        'check the tenant id, the client id, the secret or certificate, and that an admin consented the app in this tenant',
      );
    }
    if (!token) throw new UserError(`no access token for tenant ${this.options.tenantId}`, 'check the app registration and its consent');
    this.cached = token;
    return token;
  }

  private async createCredential(): Promise<TokenCredential> {
    const { tenantId, clientId, secret, authorityHost, disableInstanceDiscovery, transport } = this.options;
    const common = {
      authorityHost,
      disableInstanceDiscovery,
      httpClient: transportHttpClient(transport, (error) => {
        this.networkFailure = error;
      }),
    };
    if (secret.kind === 'secretEnv') {
      const value = process.env[secret.variable];
      if (value === undefined || value === '') {
        throw new UserError(
          `environment variable ${secret.variable} is empty or not set`,
          `set ${secret.variable} to the client secret of app ${clientId}, or use --certificate`,
        );
      }
      return new ClientSecretCredential(tenantId, clientId, value, common);
    }
    let pem: string;
    try {
      pem = await readFile(secret.path, 'utf8');
    } catch (error) {
      throw new UserError(
        `cannot read certificate ${secret.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        'pass a PEM file holding the certificate and its private key',
      );
    }
    if (!pem.includes('PRIVATE KEY')) {
      throw new UserError(`certificate ${secret.path} has no private key`, 'pass a PEM file holding both the certificate and its private key');
    }
    return new ClientCertificateCredential(tenantId, clientId, { certificate: pem }, common);
  }
}
