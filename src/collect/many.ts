import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { UserError } from '../errors.js';
import type { ResourceStatusKind } from '../snapshot/resources.js';
import type { ResolvedTenant } from './config.js';
import { tenantFolderName } from './config.js';
import { DIR_MODE } from './folder.js';
import { collectTenant, runPool, type CollectTenantOptions } from './tenant.js';

export interface TenantOutcome {
  tenantId: string;
  name: string | null;
  dir: string;
  ok: boolean;
  /** Reason the tenant failed as a whole (bad consent, unreachable, bad credentials). */
  error?: string;
  /** Resource names per status, for the tenants that completed. */
  resources?: Partial<Record<ResourceStatusKind, string[]>>;
  requests?: number;
}

export interface CollectManyOptions {
  tenants: ResolvedTenant[];
  outRoot: string;
  concurrency: number;
  /** Settings shared by every tenant (test overrides, clock, logger); never a credential. */
  shared: Omit<CollectTenantOptions, 'tenantId' | 'clientId' | 'secret' | 'out' | 'days' | 'cloud' | 'resources'>;
}

/**
 * Collects many tenants, at most `concurrency` at once. Each tenant gets its own client (and so
 * its own credential, token cache and connections) and its own folder. One tenant's failure is
 * recorded and the others go on.
 */
export async function collectMany(options: CollectManyOptions): Promise<TenantOutcome[]> {
  await mkdir(options.outRoot, { recursive: true, mode: DIR_MODE });
  const outcomes: TenantOutcome[] = [];
  const tasks = options.tenants.map((tenant) => async () => {
    const dir = join(options.outRoot, tenantFolderName(tenant));
    try {
      const result = await collectTenant({
        ...options.shared,
        tenantId: tenant.tenantId,
        clientId: tenant.clientId,
        secret: tenant.secret,
        out: dir,
        days: tenant.days,
        cloud: tenant.cloud,
        ...(tenant.resources ? { resources: tenant.resources } : {}),
      });
      outcomes.push({ tenantId: tenant.tenantId, name: result.manifest.tenantName ?? tenant.name ?? null, dir, ok: true, resources: byStatus(result.manifest.resources), requests: result.stats.requests });
    } catch (error) {
      const message = error instanceof UserError ? error.format() : (error as Error).message;
      outcomes.push({ tenantId: tenant.tenantId, name: tenant.name ?? null, dir, ok: false, error: message });
    }
  });
  await runPool(tasks, options.concurrency);
  return options.tenants.map((tenant) => outcomes.find((outcome) => outcome.tenantId === tenant.tenantId)!);
}

export function byStatus(resources: Partial<Record<string, { status: ResourceStatusKind }>>): Partial<Record<ResourceStatusKind, string[]>> {
  const grouped: Partial<Record<ResourceStatusKind, string[]>> = {};
  for (const [name, status] of Object.entries(resources)) {
    if (!status) continue;
    (grouped[status.status] ??= []).push(name);
  }
  return grouped;
}

/** Plain-text summary, one block per tenant, for stderr. */
export function formatSummary(outcomes: TenantOutcome[]): string {
  const lines: string[] = [];
  const done = outcomes.filter((outcome) => outcome.ok).length;
  lines.push(`collected ${done} of ${outcomes.length} tenant(s)`);
  for (const outcome of outcomes) {
    const label = outcome.name ? `${outcome.name} (${outcome.tenantId})` : outcome.tenantId;
    if (!outcome.ok) {
      lines.push(`  FAILED ${label}: ${outcome.error}`);
      continue;
    }
    lines.push(`  ok     ${label} -> ${outcome.dir}`);
    for (const status of ['forbidden', 'unlicensed', 'failed'] as const) {
      const names = outcome.resources?.[status];
      if (names && names.length > 0) lines.push(`         ${status}: ${names.join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
