import { resolve } from 'node:path';

import { Option, type Command } from 'commander';

import { EXIT, UserError } from '../errors.js';
import { ENV_VARIABLE_NAME, loadTenantsConfig, type ResolvedTenant } from '../collect/config.js';
import { byStatus, collectMany, formatSummary, type TenantOutcome } from '../collect/many.js';
import { createProgress } from '../collect/progress.js';
import { collectTenant, type CollectTenantResult, type ProgressEvent } from '../collect/tenant.js';
import { CLOUDS, parseCloud } from '../graph/clouds.js';
import { RESOURCE_NAMES, type ResourceName } from '../snapshot/resources.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CollectCliOptions {
  tenant?: string;
  clientId?: string;
  certificate?: string;
  clientSecretEnv?: string;
  clientSecret?: string;
  out?: string;
  days: string;
  resources?: string;
  cloud: string;
  graphBaseUrl?: string;
  authorityHost?: string;
  config?: string;
  concurrency: string;
}

/** Parses a comma-separated list of snapshot resource names. */
export function parseResourceList(value: string): ResourceName[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(RESOURCE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UserError(`unknown resource name(s) in --resources: ${unknown.join(', ') || '(empty list)'}`, `use names from: ${RESOURCE_NAMES.join(', ')}`);
  }
  return names as ResourceName[];
}

function parseInteger(value: string, option: string, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UserError(`${option} must be a whole number from ${min} to ${max}, got "${value}"`, `pass ${option} ${Math.min(max, Math.max(min, 30))}`);
  }
  return number;
}

function parseHttpsUrl(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${option} is not a URL: "${value}"`, `pass an absolute https:// URL to ${option}`);
  }
  if (url.protocol !== 'https:') throw new UserError(`${option} must use https, got "${value}"`, 'Graph and the token endpoint are only reached over HTTPS');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function singleTenant(options: CollectCliOptions, days: number, resources: ResourceName[] | undefined): ResolvedTenant {
  const missing = [
    options.tenant ? undefined : '--tenant',
    options.clientId ? undefined : '--client-id',
    options.certificate || options.clientSecretEnv ? undefined : '--certificate or --client-secret-env',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new UserError(`missing ${missing.join(', ')}`, 'pass the tenant id, the app (client) id and a credential, or --config tenants.json for many tenants');
  }
  if (options.certificate && options.clientSecretEnv) {
    throw new UserError('both --certificate and --client-secret-env are set', 'pass one of them; a certificate is preferred');
  }
  if (!GUID.test(options.tenant!)) throw new UserError(`--tenant must be the tenant id (a GUID), got "${options.tenant}"`, 'find it in the Entra admin center under Overview, Tenant ID');
  if (!GUID.test(options.clientId!)) throw new UserError(`--client-id must be the application (client) id GUID, got "${options.clientId}"`, 'find it on the app registration Overview page');
  // A value that is not a variable name may be the secret itself, pasted by mistake: never echo it.
  if (options.clientSecretEnv !== undefined && !ENV_VARIABLE_NAME.test(options.clientSecretEnv)) {
    throw new UserError(
      '--client-secret-env must be the name of an environment variable (letters, digits and _), and the value given is not one',
      'pass the variable name, for example --client-secret-env TOKENGAP_CLIENT_SECRET; if you passed the secret itself, treat it as exposed and rotate it',
    );
  }
  return {
    tenantId: options.tenant!,
    name: undefined,
    clientId: options.clientId!,
    secret: options.certificate ? { kind: 'certificate', path: resolve(options.certificate) } : { kind: 'secretEnv', variable: options.clientSecretEnv! },
    cloud: parseCloud(options.cloud),
    days,
    resources,
  };
}

export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description('Read a tenant (or many, with --config) through Microsoft Graph into snapshot folders, with read-only application permissions.')
    .option('--tenant <id>', 'tenant id (GUID) to collect')
    .option('--client-id <id>', 'application (client) id of the app registration')
    .option('--certificate <path>', 'PEM file with the app certificate and its private key')
    .option('--client-secret-env <var>', 'name of the environment variable that holds the client secret')
    .addOption(new Option('--client-secret <value>').hideHelp())
    .option('--out <dir>', 'snapshot folder to create; with --config, the folder that receives one snapshot folder per tenant')
    .option('--days <n>', 'days of sign-in and audit logs to read (1-30; Graph keeps 30 days)', '30')
    .option('--resources <list>', `resources to read, comma-separated (default: all): ${RESOURCE_NAMES.join(', ')}`)
    .option('--cloud <name>', `national cloud: ${CLOUDS.join(', ')}`, 'global')
    .option('--graph-base-url <url>', 'Graph root URL instead of the cloud default (for the fake Graph server)')
    .option('--authority-host <url>', 'token authority instead of the cloud default (for the fake Graph server)')
    .option('--config <file>', 'tenants file for collecting many tenants (see docs/collect.md)')
    .option('--concurrency <n>', 'tenants collected at once with --config', '4')
    .action(async (options: CollectCliOptions, command: Command) => {
      const fromCli = (name: string): boolean => command.getOptionValueSource(name) === 'cli';
      if (options.clientSecret !== undefined) {
        throw new UserError(
          'secrets are not accepted on the command line, where shell history and process lists expose them',
          'put the secret in an environment variable and pass its name with --client-secret-env, or use --certificate',
        );
      }
      if (!options.out) throw new UserError('missing --out', 'pass the folder to write the snapshot to');
      const days = parseInteger(options.days, '--days', 1, 30);
      const resources = options.resources ? parseResourceList(options.resources) : undefined;
      const graphBaseUrl = parseHttpsUrl(options.graphBaseUrl, '--graph-base-url');
      const authorityHost = parseHttpsUrl(options.authorityHost, '--authority-host');

      let tenants: ResolvedTenant[];
      let concurrency = parseInteger(options.concurrency, '--concurrency', 1, 16);
      let outRoot: string;
      if (options.config) {
        if (options.tenant || options.clientId || options.certificate || options.clientSecretEnv) {
          throw new UserError('--config cannot be combined with --tenant, --client-id, --certificate or --client-secret-env', 'set those per tenant (or in "defaults") in the tenants file');
        }
        const loaded = await loadTenantsConfig(options.config);
        tenants = loaded.tenants;
        if (loaded.config.concurrency !== undefined && !fromCli('concurrency')) concurrency = loaded.config.concurrency;
        // Options given on the command line win over the tenants file.
        for (const tenant of tenants) {
          if (fromCli('days')) tenant.days = days;
          if (resources) tenant.resources = resources;
        }
        outRoot = resolve(options.out);
      } else {
        const tenant = singleTenant(options, days, resources);
        tenants = [tenant];
        concurrency = 1;
        outRoot = resolve(options.out, '..');
      }

      const progress = createProgress();
      let outcomes: TenantOutcome[];
      try {
        outcomes = options.config
          ? await collectMany({
              tenants,
              outRoot,
              concurrency,
              shared: { ...(graphBaseUrl ? { graphBaseUrl } : {}), ...(authorityHost ? { authorityHost } : {}), ...(progress ? { onProgress: progress.onProgress } : {}) },
            })
          : await collectSingle(tenants[0]!, resolve(options.out), graphBaseUrl, authorityHost, progress?.onProgress);
      } finally {
        progress?.stop();
      }
      process.stderr.write(formatSummary(outcomes));
      process.exitCode = outcomes.every((outcome) => outcome.ok) ? EXIT.ok : EXIT.usageOrInput;
    });
}

async function collectSingle(
  tenant: ResolvedTenant,
  out: string,
  graphBaseUrl: string | undefined,
  authorityHost: string | undefined,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): Promise<TenantOutcome[]> {
  let result: CollectTenantResult;
  try {
    result = await collectTenant({
      tenantId: tenant.tenantId,
      clientId: tenant.clientId,
      secret: tenant.secret,
      out,
      days: tenant.days,
      cloud: tenant.cloud,
      ...(tenant.resources ? { resources: tenant.resources } : {}),
      ...(graphBaseUrl ? { graphBaseUrl } : {}),
      ...(authorityHost ? { authorityHost } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  } catch (error) {
    // A tenant-level failure (credentials, consent, a token Graph keeps rejecting, a locked or
    // mismatched folder) shows in the summary like a failed tenant of a tenants file, with exit 2.
    if (!(error instanceof UserError)) throw error;
    return [{ tenantId: tenant.tenantId, name: null, dir: out, ok: false, error: error.format() }];
  }
  return [{ tenantId: tenant.tenantId, name: result.manifest.tenantName, dir: out, ok: true, resources: byStatus(result.manifest.resources), requests: result.stats.requests }];
}
