import type * as Graph from '@microsoft/microsoft-graph-types';

import { PHISHING_RESISTANT_ADMIN_ROLES } from '../entra/roles.js';
import type { DirectoryFacts } from '../snapshot/types.js';
import { externalUserTypeOf } from './evaluate.js';
import type { CompiledPolicy } from './policy.js';
import type { ExternalUserType } from './types.js';

/** Break-glass status of a user: declared in the engagement file, suspected from its name, or none. */

/** Members kept per class, so a finding can name up to this many people before "and N more". */
const CLASS_SAMPLE_SIZE = 10;
export type BreakGlassStatus = 'declared' | 'suspected' | null;

/**
 * Users whose policy-relevant facts are identical: the same referenced groups (transitively),
 * the same referenced roles, the same direct mentions, the same guest type and break-glass status.
 * Every policy treats all of them alike, so the analysis tests one example user per class.
 */
export interface UserClass {
  key: string;
  /** The facts that define the class: `g:<group>`, `r:<role>`, `u:<user>`, `x:<guest type>`, `b:...`. */
  tokens: readonly string[];
  example: Graph.User;
  size: number;
  /** Up to five member ids, for evidence. */
  sampleIds: string[];
  /** Lower-cased referenced group ids the class is in. */
  groups: ReadonlySet<string>;
  /** Lower-cased referenced role template ids the class holds. */
  roles: ReadonlySet<string>;
  externalUserType: ExternalUserType | null;
  breakGlass: BreakGlassStatus;
  holdsAdminRole: boolean;
}

export interface UserClassResult {
  classes: UserClass[];
  usersAnalysed: number;
  disabledUsersSkipped: number;
}

/** Names that suggest an emergency-access account; such accounts are reported, not assumed. */
const BREAK_GLASS_NAME = /break[\s._-]?glass|emergency[\s._-]?access|\bbg[\s._-]?admin/i;

export function isSuspectedBreakGlass(user: Graph.User): boolean {
  return BREAK_GLASS_NAME.test(user.displayName ?? '') || BREAK_GLASS_NAME.test(user.userPrincipalName ?? '');
}

const ADMIN_ROLE_IDS: ReadonlySet<string> = new Set(PHISHING_RESISTANT_ADMIN_ROLES.map((role) => role.toLowerCase()));

/**
 * Partitions enabled users into classes. Work grows with the number of users times the number of
 * referenced groups and roles they are in, not with the number of policies.
 */
export function buildUserClasses(
  users: readonly Graph.User[],
  directory: DirectoryFacts,
  policies: readonly CompiledPolicy[],
  breakGlassAccounts: readonly string[],
): UserClassResult {
  const groupIds = new Set<string>();
  const roleIds = new Set<string>(PHISHING_RESISTANT_ADMIN_ROLES.map((id) => id.toLowerCase()));
  const userIds = new Set<string>();
  for (const policy of policies) {
    if (!policy.users) continue;
    for (const id of [...policy.users.includeGroups, ...policy.users.excludeGroups]) groupIds.add(id);
    for (const id of [...policy.users.includeRoles, ...policy.users.excludeRoles]) roleIds.add(id);
    for (const id of [...policy.users.includeUsers, ...policy.users.excludeUsers]) userIds.add(id);
  }
  const declared = new Set(breakGlassAccounts.map((value) => value.toLowerCase()));

  // Users by id, so membership lists from the directory map to users without lower-casing
  // every id: Entra ids are GUIDs and compare case-insensitively.
  const userIndex = new Map<string, number>();
  users.forEach((user, index) => {
    if (typeof user.id !== 'string') return;
    userIndex.set(user.id, index);
    userIndex.set(user.id.toLowerCase(), index);
  });
  const tokenNames: string[] = [];
  const tokensOf: (number[] | undefined)[] = new Array(users.length);
  const addMembers = (token: string, members: Iterable<string>): void => {
    const tokenIndex = tokenNames.push(token) - 1;
    for (const member of members) {
      const index = userIndex.get(member) ?? userIndex.get(member.toLowerCase());
      if (index === undefined) continue;
      const list = tokensOf[index];
      // A user reached through two nested paths is listed once.
      if (!list) tokensOf[index] = [tokenIndex];
      else if (list[list.length - 1] !== tokenIndex) list.push(tokenIndex);
    }
  };
  for (const group of groupIds) addMembers(`g:${group}`, directory.transitiveUsersOf(group));
  for (const role of roleIds) addMembers(`r:${role}`, directory.activeHoldersOf(role));

  const byKey = new Map<string, UserClass>();
  let usersAnalysed = 0;
  let disabledUsersSkipped = 0;
  users.forEach((user, index) => {
    if (typeof user.id !== 'string') return;
    // A disabled account cannot sign in, so no policy needs to cover it.
    if (user.accountEnabled === false) {
      disabledUsersSkipped++;
      return;
    }
    usersAnalysed++;
    const numeric = tokensOf[index] ?? [];
    if (numeric.length > 1) numeric.sort((left, right) => left - right);
    let key = numeric.length === 1 ? String(numeric[0]) : numeric.join(',');
    const extra: string[] = [];
    // Lower-casing is needed only when some policy or declaration names users directly.
    const id = userIds.size > 0 || declared.size > 0 ? user.id.toLowerCase() : user.id;
    if (userIds.has(id)) extra.push(`u:${id}`);
    const external = externalUserTypeOf(user);
    if (external) extra.push(`x:${external}`);
    let breakGlass: BreakGlassStatus = null;
    if (declared.has(id) || (declared.size > 0 && declared.has((user.userPrincipalName ?? '').toLowerCase()))) breakGlass = 'declared';
    else if (isSuspectedBreakGlass(user)) breakGlass = 'suspected';
    // Break-glass accounts form their own classes, so their gaps can be reported apart.
    if (breakGlass) extra.push(`b:${breakGlass}:${id}`);
    if (extra.length > 0) key += `|${extra.join('|')}`;

    const existing = byKey.get(key);
    if (existing) {
      existing.size++;
      if (existing.sampleIds.length < CLASS_SAMPLE_SIZE) existing.sampleIds.push(user.id);
      return;
    }
    const own = [...numeric.map((token) => tokenNames[token]!), ...extra];
    const groups = new Set<string>();
    const roles = new Set<string>();
    for (const token of own) {
      if (token.startsWith('g:')) groups.add(token.slice(2));
      else if (token.startsWith('r:')) roles.add(token.slice(2));
    }
    byKey.set(key, {
      key,
      tokens: own,
      example: user,
      size: 1,
      sampleIds: [user.id],
      groups,
      roles,
      externalUserType: external,
      breakGlass,
      holdsAdminRole: [...roles].some((role) => ADMIN_ROLE_IDS.has(role)),
    });
  });
  return { classes: [...byKey.values()], usersAnalysed, disabledUsersSkipped };
}
