import { z } from 'zod';

import { InputError } from '../errors.js';
import { CLOUDS } from '../graph/clouds.js';
import { RESOURCE_NAMES } from '../snapshot/resources.js';
import { decodeText, parseJsonText, readInputBuffer } from '../snapshot/json-input.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Name of an environment variable that contains a client secret (never the secret itself). */
export const ENV_VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** App and collection settings a tenant entry may set or inherit from `defaults`. */
const appSettings = z
  .object({
    clientId: z.string().regex(GUID, 'an application (client) id GUID').optional(),
    clientSecretEnv: z.string().regex(ENV_VARIABLE_NAME, 'an environment variable name').optional(),
    certificate: z.string().min(1).optional(),
    cloud: z.enum(CLOUDS).optional(),
    days: z.number().int().min(1).max(30).optional(),
    resources: z.array(z.enum(RESOURCE_NAMES)).min(1).optional(),
  })
  .strict();

const tenantEntry = appSettings.extend({
  tenantId: z.string().regex(GUID, 'a tenant id GUID'),
  /** Client's name, used in the folder name and the summary. */
  name: z.string().min(1).max(100).optional(),
});

export const tenantsConfigSchema = z
  .object({
    $schema: z.string().optional(),
    /** Tenants collected at once. */
    concurrency: z.number().int().min(1).max(16).optional(),
    defaults: appSettings.optional(),
    tenants: z.array(tenantEntry).min(1),
  })
  .strict();

export type TenantsConfig = z.infer<typeof tenantsConfigSchema>;
export type TenantEntry = z.infer<typeof tenantEntry>;

/** A tenant entry with its defaults applied and checked for a complete app identity. */
export interface ResolvedTenant {
  tenantId: string;
  name: string | undefined;
  clientId: string;
  secret: { kind: 'secretEnv'; variable: string } | { kind: 'certificate'; path: string };
  cloud: (typeof CLOUDS)[number];
  days: number;
  resources: TenantEntry['resources'];
}

function jsonPathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`), '$');
}

/** Reads and checks a tenants file; every problem names the file and the JSON path. */
export async function loadTenantsConfig(file: string): Promise<{ config: TenantsConfig; tenants: ResolvedTenant[] }> {
  // Decoded once, parsed as the snapshot readers do (encoding, depth), then scanned for duplicates.
  const text = decodeText(await readInputBuffer(file), file);
  const data = parseJsonText(text, file);
  rejectDuplicateKeys(text, file);
  rejectSecrets(data, file);
  const parsed = tenantsConfigSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(
      { file, jsonPath: jsonPathOf(issue.path) },
      issue.message,
      'the tenants file format of docs/collect.md',
      'fix the value at that path; examples/tenants.json shows every field',
    );
  }
  const config = parsed.data;
  const seen = new Map<string, number>();
  const tenants = config.tenants.map((entry, index) => {
    const jsonPath = `$.tenants[${index}]`;
    const key = entry.tenantId.toLowerCase();
    if (seen.has(key)) {
      throw new InputError({ file, jsonPath: `${jsonPath}.tenantId` }, `tenant ${entry.tenantId} is listed twice (also at $.tenants[${seen.get(key)}])`, 'each tenant once', 'remove one of the two entries');
    }
    seen.set(key, index);
    const merged = { ...config.defaults, ...entry };
    if (!merged.clientId) {
      throw new InputError({ file, jsonPath }, 'no clientId', 'clientId on the tenant or in $.defaults', 'add the application (client) id of the app registration');
    }
    if (entry.certificate && entry.clientSecretEnv) {
      throw new InputError({ file, jsonPath }, 'both certificate and clientSecretEnv are set', 'one of the two', 'keep the certificate (preferred) or the secret variable');
    }
    // A tenant's own certificate or secret variable wins over either one in the defaults.
    const secret = entry.certificate
      ? { kind: 'certificate' as const, path: entry.certificate }
      : entry.clientSecretEnv
        ? { kind: 'secretEnv' as const, variable: entry.clientSecretEnv }
        : merged.certificate
          ? { kind: 'certificate' as const, path: merged.certificate }
          : merged.clientSecretEnv
            ? { kind: 'secretEnv' as const, variable: merged.clientSecretEnv }
            : undefined;
    if (!secret) {
      throw new InputError({ file, jsonPath }, 'no certificate or clientSecretEnv', 'certificate or clientSecretEnv on the tenant or in $.defaults', 'name a PEM certificate file or the environment variable that contains the client secret');
    }
    return {
      tenantId: entry.tenantId,
      name: entry.name,
      clientId: merged.clientId,
      secret,
      cloud: merged.cloud ?? 'global',
      days: merged.days ?? 30,
      resources: merged.resources,
    };
  });
  return { config, tenants };
}

/**
 * Rejects an object with the same key twice. JSON.parse keeps the last one silently, so a second
 * "tenants" list would replace the first without a word. The text has already parsed, so this
 * scan only tracks strings, nesting and which strings are keys.
 */
export function rejectDuplicateKeys(text: string, file: string): void {
  // One frame per open object or array: the keys seen so far (objects only) and the path.
  const frames: { keys: Set<string> | undefined; path: string; index: number }[] = [];
  let expectKey = false;
  let lastKey = '';
  const childPath = (): string => {
    const parent = frames[frames.length - 1];
    if (!parent) return '$';
    return parent.keys ? `${parent.path}.${lastKey}` : `${parent.path}[${parent.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const frame = frames[frames.length - 1];
      if (expectKey && frame?.keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (frame.keys.has(key)) {
          throw new InputError({ file, jsonPath: `${frame.path}.${key}` }, `the key "${key}" appears twice in the same object`, 'each key once per object', 'remove or merge one of the two; only the last one would be read');
        }
        frame.keys.add(key);
        lastKey = key;
        expectKey = false;
      }
      i = end;
    } else if (char === '{' || char === '[') {
      frames.push({ keys: char === '{' ? new Set() : undefined, path: childPath(), index: 0 });
      expectKey = char === '{';
    } else if (char === '}' || char === ']') {
      frames.pop();
    } else if (char === ',') {
      const frame = frames[frames.length - 1];
      if (frame?.keys) expectKey = true;
      else if (frame) frame.index++;
    }
  }
}

/** Rejects secrets in the tenants file, which is shared and versioned; it names environment variables instead. */
function rejectSecrets(data: unknown, file: string, path = '$'): void {
  if (Array.isArray(data)) {
    data.forEach((item, index) => rejectSecrets(item, file, `${path}[${index}]`));
    return;
  }
  if (data === null || typeof data !== 'object') return;
  for (const [key, value] of Object.entries(data)) {
    if (/^(clientSecret|secret|password|accessToken|token)$/i.test(key)) {
      throw new InputError(
        { file, jsonPath: `${path}.${key}` },
        `the file contains a secret in "${key}"`,
        'no secrets in the tenants file',
        'remove it, put the secret in an environment variable and name that variable in "clientSecretEnv"',
      );
    }
    rejectSecrets(value, file, `${path}.${key}`);
  }
}

/**
 * Returns the folder name of a tenant's snapshot. It is the client's name lower-cased, with every
 * run of characters other than a-z and 0-9 replaced by one hyphen, then a hyphen and the tenant
 * id. Without a name it is the tenant id alone. The id keeps names unique, the name sorts them.
 */
export function tenantFolderName(tenant: { tenantId: string; name?: string | undefined }): string {
  const slug = (tenant.name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const id = tenant.tenantId.toLowerCase();
  return slug ? `${slug}-${id}` : id;
}
