import type * as Graph from '@microsoft/microsoft-graph-types';

import type { Snapshot } from '../../snapshot/types.js';

/** Kind of role assignment: `active` (permanent or activated) or `eligible` (PIM, activated at will). */
export type HoldingKind = 'active' | 'eligible';

export interface RoleHolder {
  user: Graph.User;
  /** Role template id -> how it is held; active wins over eligible. */
  roles: Map<string, HoldingKind>;
}

/**
 * Users holding any of `roleIds` tenant-wide, directly or through a role-assignable group, with
 * active assignments (permanent or PIM-activated) and, when `includeEligible`, PIM eligibilities.
 * Service principals and ids missing from `users` are left out: only people sign in with MFA.
 */
export function roleHolders(snapshot: Snapshot, roleIds: Iterable<string>, includeEligible: boolean): Map<string, RoleHolder> {
  const holders = new Map<string, RoleHolder>();
  const add = (userId: string, role: string, kind: HoldingKind): void => {
    const user = snapshot.directory.userById(userId);
    if (!user?.id) return;
    let holder = holders.get(user.id);
    if (!holder) holders.set(user.id, (holder = { user, roles: new Map() }));
    if (holder.roles.get(role) !== 'active') holder.roles.set(role, kind);
  };

  const wanted = new Set([...roleIds].map((id) => id.toLowerCase()));
  for (const role of wanted) {
    for (const principal of snapshot.directory.activeHoldersOf(role)) add(principal, role, 'active');
  }
  if (includeEligible) {
    for (const schedule of snapshot.resources.roleEligibilitySchedules ?? []) {
      const role = schedule.roleDefinitionId?.toLowerCase();
      if (!role || !wanted.has(role) || !schedule.principalId) continue;
      if (schedule.directoryScopeId && schedule.directoryScopeId !== '/') continue;
      const group = snapshot.directory.groupById(schedule.principalId);
      const users = group ? snapshot.directory.transitiveUsersOf(schedule.principalId) : [schedule.principalId];
      for (const userId of users) add(userId, role, 'eligible');
    }
  }
  return holders;
}

/** Holders sorted by label, so findings come in a stable order. */
export function sortedHolders(holders: Map<string, RoleHolder>): RoleHolder[] {
  return [...holders.values()].sort((a, b) => (a.user.displayName ?? '').localeCompare(b.user.displayName ?? '') || (a.user.id ?? '').localeCompare(b.user.id ?? ''));
}
