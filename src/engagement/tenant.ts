import { InputError, UserError } from '../errors.js';
import type { Engagement } from './schema.js';

/** The tenant an assessment is of, as the snapshot manifest or report.json names it. */
export interface TenantIdentity {
  id?: string | null | undefined;
  name?: string | null | undefined;
}

const norm = (value: string | null | undefined): string => (value ?? '').trim().toLowerCase();

/**
 * Refuses to apply an engagement file to another client's tenant, so one client's owners,
 * accepted risks and account names never reach another client's documents.
 *
 * - `client.tenantId` set: it must equal the tenant id (case-insensitive).
 * - `client.tenantId` absent: `client.name` must equal the tenant's name (case-insensitive);
 *   a tenant with an id but no name cannot be matched by name, so the file needs `client.tenantId`.
 * - A snapshot of bare exports with neither id nor name has nothing to compare, and is accepted.
 *
 * `engagementFile` is named in the error when known (an InputError, exit 2); otherwise a UserError.
 */
export function assertEngagementTenant(engagement: Engagement, tenant: TenantIdentity, engagementFile?: string): void {
  const declared = norm(engagement.client.tenantId);
  const actualId = norm(tenant.id);
  const actualName = norm(tenant.name);
  const tenantLabel = `${tenant.name ?? 'an unnamed tenant'}${tenant.id ? ` (tenant id ${tenant.id})` : ''}`;
  const addId = tenant.id ? `add \`tenantId: ${tenant.id}\` under \`client:\` if this file really is for ${tenant.name ?? 'this tenant'}` : '';

  let problem: string | undefined;
  let fix = '';
  let jsonPath = 'client.tenantId';
  if (declared) {
    if (!actualId || declared === actualId) return;
    problem = `the engagement file is for tenant ${engagement.client.tenantId} (${engagement.client.name}), but the assessment is of ${tenantLabel}`;
    fix = 'use the engagement file of this client, or correct client.tenantId if it is wrong';
  } else {
    if (!actualId && !actualName) return;
    if (actualName && norm(engagement.client.name) === actualName) return;
    jsonPath = 'client';
    problem = actualName
      ? `the engagement file names the client ${engagement.client.name} and has no client.tenantId, but the assessment is of ${tenantLabel}`
      : `the engagement file names the client ${engagement.client.name} and has no client.tenantId, and the tenant ${tenant.id} has no name to compare with`;
    fix = `use the engagement file of this client; ${addId}`;
  }
  if (engagementFile) throw new InputError({ file: engagementFile, jsonPath }, problem, 'an engagement file for the tenant being assessed', fix);
  throw new UserError(problem, fix);
}
