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

/** Builds a value on first use, so facts that no check reads cost nothing. */
function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

/**
 * Builds the directory facts from users, groups, groupMembers and the role resources.
 * Every index is built on first use and every transitive set is memoised, because a tenant of
 * 100,000 users has half a million membership edges and most runs ask about a few groups only.
 * Entra object ids are GUIDs, which compare case-insensitively, so lookups ignore case; the
 * returned sets hold ids as the data spells them.
 */
export function buildDirectoryFacts(resources: Partial<SnapshotResources>, options: DirectoryFactsOptions = {}): DirectoryFacts {
  const asOf = (options.asOf ?? new Date()).getTime();
  const groupMembers = resources.groupMembers ?? {};

  const usersIndex = lazy(() => {
    const byId = new Map<string, Graph.User>();
    const byUpn = new Map<string, Graph.User>();
    for (const user of resources.users ?? []) {
      if (typeof user.id === 'string') byId.set(user.id.toLowerCase(), user);
      if (typeof user.userPrincipalName === 'string') byUpn.set(user.userPrincipalName.toLowerCase(), user);
    }
    return { byId, byUpn };
  });
  const groupsIndex = lazy(() => {
    const byId = new Map<string, Graph.Group>();
    for (const group of resources.groups ?? []) {
      if (typeof group.id === 'string') byId.set(group.id.toLowerCase(), group);
    }
    return byId;
  });
  // groupMembers keys as the data spells them, by lower-case id.
  const memberListKeys = lazy(() => new Map(Object.keys(groupMembers).map((key) => [key.toLowerCase(), key])));

  const membersOf = (groupId: string): DirectoryObjectRef[] => {
    const exact = groupMembers[groupId];
    if (exact) return exact;
    const key = memberListKeys().get(groupId.toLowerCase());
    return key === undefined ? [] : (groupMembers[key] ?? []);
  };

  const kindOf = (ref: DirectoryObjectRef | Graph.DirectoryObject | null | undefined, id: string): MemberKind => {
    const odataType = (ref as { '@odata.type'?: unknown } | null | undefined)?.['@odata.type'];
    if (typeof odataType === 'string' && odataType !== '') {
      const type = odataType.toLowerCase();
      if (type.endsWith('.group')) return 'group';
      if (type.endsWith('.user')) return 'user';
      return 'other';
    }
    // Without @odata.type (some exports drop it), the member's kind is looked up by its id.
    const lower = id.toLowerCase();
    if (groupsIndex().has(lower) || memberListKeys().has(lower)) return 'group';
    if (usersIndex().byId.has(lower)) return 'user';
    return 'other';
  };

  const usersMemo = new Map<string, ReadonlySet<string>>();
  const transitiveUsersOf = (groupId: string): ReadonlySet<string> => {
    const start = groupId.toLowerCase();
    const cached = usersMemo.get(start);
    if (cached) return cached;
    const users = new Set<string>();
    const seen = new Set<string>([start]);
    const queue = [groupId];
    // Breadth-first over nested groups; `seen` makes membership cycles terminate.
    for (let head = 0; head < queue.length; head++) {
      const current = queue[head]!;
      const done = head === 0 ? undefined : usersMemo.get(current.toLowerCase());
      if (done) {
        for (const user of done) users.add(user);
        continue;
      }
      for (const member of membersOf(current)) {
        if (typeof member?.id !== 'string') continue;
        const kind = kindOf(member, member.id);
        if (kind === 'user') users.add(member.id);
        else if (kind === 'group' && !seen.has(member.id.toLowerCase())) {
          seen.add(member.id.toLowerCase());
          queue.push(member.id);
        }
      }
    }
    usersMemo.set(start, users);
    return users;
  };

  // Reverse edges, member (lower-case id) -> groups it is a direct member of.
  const parentsIndex = lazy(() => {
    const parents = new Map<string, string[]>();
    for (const [groupId, members] of Object.entries(groupMembers)) {
      for (const member of members ?? []) {
        if (typeof member?.id !== 'string') continue;
        const key = member.id.toLowerCase();
        const list = parents.get(key);
        if (list) list.push(groupId);
        else parents.set(key, [groupId]);
      }
    }
    return parents;
  });

  const groupsMemo = new Map<string, ReadonlySet<string>>();
  const transitiveGroupsOf = (principalId: string): ReadonlySet<string> => {
    const start = principalId.toLowerCase();
    const cached = groupsMemo.get(start);
    if (cached) return cached;
    const direct = parentsIndex().get(start);
    if (!direct) return EMPTY;
    const groups = new Set<string>();
    if (!groupsIndex().has(start) && !memberListKeys().has(start)) {
      // A user (or device, or service principal) has no members, so it cannot be on a cycle:
      // its groups are its direct groups and their memoised ancestors.
      for (const parent of direct) {
        groups.add(parent);
        for (const ancestor of transitiveGroupsOf(parent)) groups.add(ancestor);
      }
      groupsMemo.set(start, groups);
      return groups;
    }
    const seen = new Set<string>();
    const queue = [...direct];
    for (let head = 0; head < queue.length; head++) {
      const group = queue[head]!;
      const key = group.toLowerCase();
      // A group in a cycle reaches itself; it is not its own member, so it is left out.
      if (key === start || seen.has(key)) continue;
      seen.add(key);
      groups.add(group);
      for (const parent of parentsIndex().get(key) ?? []) queue.push(parent);
    }
    groupsMemo.set(start, groups);
    return groups;
  };

  // Only whether a role principal is a group matters, so users need not be indexed for it.
  const isGroup = (ref: Graph.DirectoryObject | null | undefined, id: string): boolean => {
    const odataType = (ref as { '@odata.type'?: unknown } | null | undefined)?.['@odata.type'];
    if (typeof odataType === 'string' && odataType !== '') return odataType.toLowerCase().endsWith('.group');
    return groupsIndex().has(id.toLowerCase()) || memberListKeys().has(id.toLowerCase());
  };
  const roles = buildRoleIndex(resources, asOf, isGroup, transitiveUsersOf);

  // Lower-case user ids of each group that has a role assignment, for case-insensitive membership tests.
  const roleGroupUsers = lazy(() => {
    const byGroup = new Map<string, Set<string>>();
    for (const groupId of roles.groups.keys()) byGroup.set(groupId, new Set([...transitiveUsersOf(groupId)].map((id) => id.toLowerCase())));
    return byGroup;
  });

  const rolesMemo = new Map<string, ReadonlySet<string>>();
  const activeTenantRolesOf = (principalId: string): ReadonlySet<string> => {
    const id = principalId.toLowerCase();
    const cached = rolesMemo.get(id);
    if (cached) return cached;
    const held = new Set(roles.direct.get(id) ?? []);
    // Few groups hold roles (only role-assignable groups can), so asking each of them whether
    // the principal is a member is cheaper than walking the principal's groups upward.
    for (const [groupId, groupRoles] of roles.groups) {
      if (!roleGroupUsers().get(groupId)?.has(id)) continue;
      for (const role of groupRoles) held.add(role);
    }
    const result = held.size === 0 ? EMPTY : held;
    rolesMemo.set(id, result);
    return result;
  };

  return {
    transitiveGroupsOf,
    transitiveUsersOf,
    activeTenantRolesOf,
    activeHoldersOf: (roleTemplateId) => roles.holders().get(roleTemplateId.toLowerCase()) ?? EMPTY,
    userById: (id) => usersIndex().byId.get(id.toLowerCase()),
    findUser: (idOrUpn) => usersIndex().byId.get(idOrUpn.toLowerCase()) ?? usersIndex().byUpn.get(idOrUpn.toLowerCase()),
    groupById: (id) => groupsIndex().get(id.toLowerCase()),
  };
}

interface RoleIndex {
  /** Principal (lower-case id) -> role template ids assigned to it directly. */
  direct: Map<string, Set<string>>;
  /** Group id as spelt in the data -> role template ids assigned to the group. */
  groups: Map<string, Set<string>>;
  /** Role template id -> principals holding it, including the users of assigned groups. */
  holders(): Map<string, Set<string>>;
}

function buildRoleIndex(
  resources: Partial<SnapshotResources>,
  asOf: number,
  isGroup: (ref: Graph.DirectoryObject | null | undefined, id: string) => boolean,
  transitiveUsersOf: (groupId: string) => ReadonlySet<string>,
): RoleIndex {
  // Graph's roleDefinitionId is the role template id for built-in roles. A custom role's
  // definition id can differ from its template id, so map through roleDefinitions when known.
  const templateOf = new Map<string, string>();
  for (const definition of resources.roleDefinitions ?? []) {
    if (typeof definition.id === 'string' && typeof definition.templateId === 'string' && definition.templateId !== '') {
      templateOf.set(definition.id.toLowerCase(), definition.templateId.toLowerCase());
    }
  }

  const direct = new Map<string, Set<string>>();
  const groups = new Map<string, Set<string>>();
  const principals = new Map<string, string>();
  const add = (assignment: Graph.UnifiedRoleAssignment | Graph.UnifiedRoleAssignmentScheduleInstance): void => {
    if (typeof assignment.principalId !== 'string' || typeof assignment.roleDefinitionId !== 'string') return;
    // Only tenant-wide assignments count: Conditional Access role conditions ignore
    // administrative-unit and application scopes. NOTE: an export without directoryScopeId is
    // read as tenant-wide, so an admin is never missed; that may over-count scoped admins.
    const scope = assignment.directoryScopeId;
    if (scope !== undefined && scope !== null && scope !== '/') return;
    const definition = assignment.roleDefinitionId.toLowerCase();
    const template = templateOf.get(definition) ?? definition;
    const key = assignment.principalId.toLowerCase();
    principals.set(key, assignment.principalId);

    let roles = direct.get(key);
    if (!roles) direct.set(key, (roles = new Set()));
    roles.add(template);
    if (isGroup(assignment.principal, assignment.principalId)) {
      let groupRoles = groups.get(assignment.principalId);
      if (!groupRoles) groups.set(assignment.principalId, (groupRoles = new Set()));
      groupRoles.add(template);
    }
  };
  for (const assignment of resources.roleAssignments ?? []) add(assignment);
  for (const instance of resources.roleAssignmentScheduleInstances ?? []) {
    if (isActiveInstance(instance, asOf)) add(instance);
  }

  const holders = lazy(() => {
    const byRole = new Map<string, Set<string>>();
    for (const [key, roles] of direct) {
      const principal = principals.get(key)!;
      const expanded = groups.has(principal) ? [principal, ...transitiveUsersOf(principal)] : [principal];
      for (const role of roles) {
        let set = byRole.get(role);
        if (!set) byRole.set(role, (set = new Set()));
        for (const id of expanded) set.add(id);
      }
    }
    return byRole;
  });
  return { direct, groups, holders };
}

/**
 * Returns true when an assignment schedule instance is a standing (`Assigned`) or PIM-activated
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
