import type * as Graph from '@microsoft/microsoft-graph-types';

import { ROLE_NAMES } from '../entra/roles.js';
import type { ResourceName } from '../snapshot/resources.js';
import type { Snapshot } from '../snapshot/types.js';
import type { EvidenceObject } from './types.js';

/** Builds a user's evidence object; the UPN is part of the name so technicians can search for it. */
export function userEvidence(user: Graph.User): EvidenceObject {
  return { type: 'user', id: user.id ?? '', displayName: userLabel(user) };
}

/** `Display Name (upn)`, or whichever of the two exists, or the id. */
export function userLabel(user: Graph.User): string {
  const name = user.displayName ?? null;
  const upn = user.userPrincipalName ?? null;
  if (name && upn) return `${name} (${upn})`;
  return name ?? upn ?? user.id ?? 'unknown user';
}

export function policyEvidence(policy: Graph.ConditionalAccessPolicy): EvidenceObject {
  return { type: 'conditionalAccessPolicy', id: policy.id ?? '', displayName: policy.displayName ?? null };
}

/** Name of a role template id: the tenant's role definition when collected, else the built-in name. */
export function roleName(snapshot: Snapshot, templateId: string): string {
  const id = templateId.toLowerCase();
  const definition = snapshot.resources.roleDefinitions?.find(
    (candidate) => candidate.templateId?.toLowerCase() === id || candidate.id?.toLowerCase() === id,
  );
  return definition?.displayName ?? ROLE_NAMES[id] ?? `role ${templateId}`;
}

/**
 * Display name of a user, group, service principal or named location id, for exclusion lists.
 * When the id is not found and `expected` names the resource it should be in, the text states
 * whether that resource was collected, so "missing from the tenant" is not confused with "not read".
 */
export function objectName(snapshot: Snapshot, id: string, expected?: ResourceName): string {
  const user = snapshot.directory.userById(id);
  if (user) return userLabel(user);
  const group = snapshot.directory.groupById(id);
  if (group) return group.displayName ?? id;
  const lower = id.toLowerCase();
  const servicePrincipal = snapshot.resources.servicePrincipals?.find(
    (candidate) => candidate.id?.toLowerCase() === lower || candidate.appId?.toLowerCase() === lower,
  );
  if (servicePrincipal) return servicePrincipal.displayName ?? id;
  const location = snapshot.resources.namedLocations?.find((candidate) => candidate.id?.toLowerCase() === lower);
  if (location) return location.displayName ?? id;
  if (expected !== undefined && snapshot.statusOf(expected).status !== 'collected') return `${id} (${expected} not collected)`;
  return `${id} (not found in the snapshot)`;
}

/** Up to `limit` labels, then "and N more", so a finding stays readable in a large tenant. */
export function sample(labels: readonly string[], limit = 10): string[] {
  if (labels.length <= limit) return [...labels];
  return [...labels.slice(0, limit), `and ${labels.length - limit} more`];
}
