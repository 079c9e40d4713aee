import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { Command } from 'commander';

import { UserError } from '../../errors.js';
import { loadFakeTenantData } from './data.js';
import { parseFaultSpec } from './faults.js';
import { FakeGraphServer, type FakeFault, type FakeTenant } from './server.js';

const program = new Command('fake-graph')
  .description('Serve snapshot folders as a fake Microsoft Graph and Entra token endpoint on https://127.0.0.1.')
  .requiredOption('--snapshot <dir...>', 'snapshot folder(s) to serve, one tenant each (tenant id from manifest.json)')
  .option('--port <n>', 'port to listen on (0 picks a free one)', '8443')
  .option('--client-id <id>', 'application id the token endpoint accepts', '00000000-0000-0000-0000-0000000000aa')
  .option('--client-secret-env <var>', 'environment variable with the secret the token endpoint expects (default: any secret)')
  .option('--ca-out <file>', 'write the test CA certificate (PEM) here, for NODE_EXTRA_CA_CERTS')
  .option('--latency <ms>', 'delay added to every Graph response', '0')
  .option('--token-lifetime <s>', 'access token lifetime in seconds', '3599')
  .option('--reports-limit <n/ms>', 'enforce a report throttle, e.g. 5/10000 (Graph: 5 requests per 10 s per tenant)')
  .option('--fault <spec>', 'scripted fault kind[,match=PATH][,after=N][,times=N|always][,retryAfter=S|date][,delayMs=MS][,inBatch=true][,framed=true]; repeatable', (spec: string, all: FakeFault[]) => [...all, parseFaultSpec(spec)], [] as FakeFault[])
  .action(async (options: {
    snapshot: string[];
    port: string;
    clientId: string;
    clientSecretEnv?: string;
    caOut?: string;
    latency: string;
    tokenLifetime: string;
    reportsLimit?: string;
    fault: FakeFault[];
  }) => {
    const secret = options.clientSecretEnv ? process.env[options.clientSecretEnv] : undefined;
    if (options.clientSecretEnv && !secret) throw new UserError(`environment variable ${options.clientSecretEnv} is empty or not set`, 'set it or drop --client-secret-env');
    const tenants: FakeTenant[] = options.snapshot.map((dir) => {
      const data = loadFakeTenantData(resolve(dir));
      if (!data.manifest.tenantId) throw new UserError(`${dir}/manifest.json has no tenantId`, 'serve a snapshot whose manifest names its tenant');
      return { tenantId: data.manifest.tenantId, clientId: options.clientId, ...(secret ? { clientSecret: secret } : {}), data };
    });
    let reportsLimit: { limit: number; windowMs: number } | undefined;
    if (options.reportsLimit) {
      const [limit, windowMs] = options.reportsLimit.split('/').map(Number);
      if (!limit || !windowMs) throw new UserError(`--reports-limit must look like 5/10000, got "${options.reportsLimit}"`, 'give requests per window and the window in milliseconds');
      reportsLimit = { limit, windowMs };
    }
    const server = new FakeGraphServer({
      tenants,
      port: Number(options.port),
      latencyMs: Number(options.latency),
      tokenLifetimeSeconds: Number(options.tokenLifetime),
      faults: options.fault,
      ...(reportsLimit ? { reportsLimit } : {}),
    });
    await server.start();
    if (options.caOut) writeFileSync(options.caOut, server.certificate.cert, { mode: 0o600 });
    process.stdout.write(`${JSON.stringify({ url: server.url, tenants: tenants.map((tenant) => tenant.tenantId), clientId: options.clientId, ca: options.caOut ?? null })}\n`);
    const stop = (): void => {
      void server.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`fake-graph: ${error instanceof UserError ? error.format() : (error as Error).message}\n`);
  process.exit(2);
});
