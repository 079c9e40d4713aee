import type * as Graph from '@microsoft/microsoft-graph-types';

import type { DirectoryFacts, DirectoryObjectRef, SnapshotResources } from './types.js';

export interface DirectoryFactsOptions {
  /**
   * Time at which PIM schedule instances are judged active. The loader passes the snapshot's
   * collection time, so an old snapshot is assessed as it was when collected. Default: now.
   */
  asOf?: Date;
}

type MemberKind = 'user' | 'group' | 'other';

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Builds the directory facts from users, groups, groupMembers and the role resources. Indexes are
 * built once, in time linear in the number of objects and membership edges. Transitive sets are
 * computed on first request and memoised, so a large tenant pays only for what the checks ask.
 */
export function buildDirectoryFacts(resources: Partial<SnapshotResources>, options: DirectoryFactsOptions = {}): DirectoryFacts {
  const asOf = (options.asOf ?? new Date()).getTime();

  // Ids keep the casing of the data; a lookup with other casing is mapped through `canonical`
  // because Entra object ids are GUIDs, which compare case-insensitively.
  const canonical = new Map<string, string>();
  const remember = (id: string): string => {
    const lower = id.toLowerCase();
    const known = canonical.get(lower);
    if (known !== undefined) return known;
    canonical.set(lower, id);
    return id;
  };
  const canon = (id: string): string => canonical.get(id.toLowerCase()) ?? id;

  const usersById = new Map<string, Graph.User>();
  const usersByUpn = new Map<string, Graph.User>();
  for (const user of resources.users ?? []) {
    if (typeof user.id !== 'string') continue;
    usersById.set(remember(user.id), user);
    if (typeof user.userPrincipalName === 'string') usersByUpn.set(user.userPrincipalName.toLowerCase(), user);
  }
  const groupsById = new Map<string, Graph.Group>();
  for (const group of resources.groups ?? []) {
    if (typeof group.id === 'string') groupsById.set(remember(group.id), group);
  }

  const groupMembers = resources.groupMembers ?? {};
  const memberGroupIds = new Set(Object.keys(groupMembers).map(remember));

  const kindOf = (ref: DirectoryObjectRef | Graph.DirectoryObject | null | undefined, id: string): MemberKind => {
    const odataType = (ref as { '@odata.type'?: unknown } | null | undefined)?.['@odata.type'];
    const type = typeof odataType === 'string' ? odataType.toLowerCase() : '';
    if (type.endsWith('.group')) return 'group';
    if (type.endsWith('.user')) return 'user';
    if (type !== '') return 'other';
    // Without @odata.type (some exports drop it), the member's kind is looked up by its id.
    if (groupsById.has(id) || memberGroupIds.has(id)) return 'group';
    if (usersById.has(id)) return 'user';
    return 'other';
  };

  // Direct member edges, downward (group -> users, group -> groups) and upward (member -> groups).
  const directUsers = new Map<string, string[]>();
  const directGroups = new Map<string, string[]>();
  const parentsOf = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, value: string): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const [rawGroupId, members] of Object.entries(groupMembers)) {
    const groupId = canon(rawGroupId);
    for (const member of members ?? []) {
      if (typeof member?.id !== 'string') continue;
      const memberId = remember(member.id);
      const kind = kindOf(member, memberId);
      if (kind === 'user') push(directUsers, groupId, memberId);
      else if (kind === 'group') push(directGroups, groupId, memberId);
      push(parentsOf, memberId, groupId);
    }
  }

  const usersMemo = new Map<string, ReadonlySet<string>>();
  const transitiveUsersOf = (groupId: string): ReadonlySet<string> => {
    const start = canon(groupId);
    const cached = usersMemo.get(start);
    if (cached) return cached;
    const users = new Set<string>();
    const seen = new Set<string>([start]);
    const queue = [start];
    // Breadth-first over nested groups; `seen` makes membership cycles terminate.
    for (let head = 0; head < queue.length; head++) {
      const current = queue[head]!;
      const done = current === start ? undefined : usersMemo.get(current);
      if (done) {
        for (const user of done) users.add(user);
        continue;
      }
      for (const user of directUsers.get(current) ?? []) users.add(user);
      for (const child of directGroups.get(current) ?? []) {
        if (!seen.has(child)) {
          seen.add(child);
          queue.push(child);
        }
      }
    }
    usersMemo.set(start, users);
    return users;
  };

  const groupsMemo = new Map<string, ReadonlySet<string>>();
  const transitiveGroupsOf = (principalId: string): ReadonlySet<string> => {
    const start = canon(principalId);
    const cached = groupsMemo.get(start);
    if (cached) return cached;
    if (!parentsOf.has(start)) return EMPTY;
    const groups = new Set<string>();
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      for (const parent of parentsOf.get(queue[head]!) ?? []) {
        // A group in a cycle reaches itself; it is not its own member, so it is left out.
        if (parent === start || groups.has(parent)) continue;
        groups.add(parent);
        queue.push(parent);
      }
    }
    groupsMemo.set(start, groups);
    return groups;
  };

  // Graph's roleDefinitionId is the role template id for built-in roles. A custom role's
  // definition id can differ from its template id, so map through roleDefinitions when known.
  const templateOf = new Map<string, string>();
  for (const definition of resources.roleDefinitions ?? []) {
    if (typeof definition.id === 'string' && typeof definition.templateId === 'string' && definition.templateId !== '') {
      templateOf.set(definition.id.toLowerCase(), definition.templateId.toLowerCase());
    }
  }

  const directRoles = new Map<string, Set<string>>();
  const assignedPrincipalKind = new Map<string, MemberKind>();
  const addAssignment = (assignment: Graph.UnifiedRoleAssignment | Graph.UnifiedRoleAssignmentScheduleInstance): void => {
    if (typeof assignment.principalId !== 'string' || typeof assignment.roleDefinitionId !== 'string') return;
    // Only tenant-wide assignments count: Conditional Access role conditions ignore
    // administrative-unit and application scopes. NOTE: an export without directoryScopeId is
    // read as tenant-wide, so an admin is never missed; that may over-count scoped admins.
    const scope = assignment.directoryScopeId;
    if (scope !== undefined && scope !== null && scope !== '/') return;
    const principal = remember(assignment.principalId);
    const definition = assignment.roleDefinitionId.toLowerCase();
    const template = templateOf.get(definition) ?? definition;
    let roles = directRoles.get(principal);
    if (!roles) directRoles.set(principal, (roles = new Set()));
    roles.add(template);
    if (!assignedPrincipalKind.has(principal)) assignedPrincipalKind.set(principal, kindOf(assignment.principal, principal));
  };

  for (const assignment of resources.roleAssignments ?? []) addAssignment(assignment);
  for (const instance of resources.roleAssignmentScheduleInstances ?? []) {
    if (isActiveInstance(instance, asOf)) addAssignment(instance);
  }

  const holders = new Map<string, Set<string>>();
  for (const [principal, roles] of directRoles) {
    const expanded = assignedPrincipalKind.get(principal) === 'group' ? [principal, ...transitiveUsersOf(principal)] : [principal];
    for (const role of roles) {
      let set = holders.get(role);
      if (!set) holders.set(role, (set = new Set()));
      for (const id of expanded) set.add(id);
    }
  }

  const rolesMemo = new Map<string, ReadonlySet<string>>();
  const activeTenantRolesOf = (principalId: string): ReadonlySet<string> => {
    const id = canon(principalId);
    const cached = rolesMemo.get(id);
    if (cached) return cached;
    const roles = new Set(directRoles.get(id) ?? []);
    for (const group of transitiveGroupsOf(id)) {
      for (const role of directRoles.get(group) ?? []) roles.add(role);
    }
    const result = roles.size === 0 ? EMPTY : roles;
    rolesMemo.set(id, result);
    return result;
  };

  return {
    transitiveGroupsOf,
    transitiveUsersOf,
    activeTenantRolesOf,
    activeHoldersOf: (roleTemplateId) => holders.get(roleTemplateId.toLowerCase()) ?? EMPTY,
    userById: (id) => usersById.get(canon(id)),
    findUser: (idOrUpn) => usersById.get(canon(idOrUpn)) ?? usersByUpn.get(idOrUpn.toLowerCase()),
    groupById: (id) => groupsById.get(canon(id)),
  };
}

/**
 * An assignment schedule instance counts when it is a standing (`Assigned`) or PIM-activated
 * (`Activated`) assignment whose window contains `asOf`. A missing start or end is open-ended.
 */
function isActiveInstance(instance: Graph.UnifiedRoleAssignmentScheduleInstance, asOf: number): boolean {
  const type = instance.assignmentType?.toLowerCase();
  if (type !== 'assigned' && type !== 'activated') return false;
  const start = instance.startDateTime ? Date.parse(instance.startDateTime) : Number.NaN;
  const end = instance.endDateTime ? Date.parse(instance.endDateTime) : Number.NaN;
  if (!Number.isNaN(start) && start > asOf) return false;
  if (!Number.isNaN(end) && end <= asOf) return false;
  return true;
}
