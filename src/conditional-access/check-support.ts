import type * as Graph from '@microsoft/microsoft-graph-types';

import { objectName, policyEvidence, roleName, sample, userEvidence } from '../checks/evidence.js';
import { nameList } from '../checks/messages.js';
import type { CheckContext, CheckOutcome, EvidenceObject, Finding, MessageTemplate, ResourceNeed } from '../checks/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { APP_GROUP_TABLES, WELL_KNOWN_APPS } from './app-groups.js';
import { analyzeCoverage, policyAddressesKind, type CoverageGap, type CoverageReport, type GapKind } from './coverage.js';
import { compileLocations } from './locations.js';
import { compilePolicy, staticProblems } from './policy.js';
import { coverageRow } from './summary.js';
import type { EvaluationFacts } from './types.js';

/** Message ids every coverage-based check uses, so the report reads the same across areas. */
export type CoverageMessage =
  | 'covered'
  | 'covered-except-break-glass'
  | 'gaps-found'
  | 'gap'
  | 'suspected-break-glass-gap'
  | 'report-only-policy'
  | 'policy-exclusions'
  | 'uncertain'
  | 'incomplete';

export type CoverageMessages = Record<CoverageMessage, MessageTemplate>;

/**
 * Resources every coverage-based check reads. Group members and role assignments are optional:
 * without them the check runs and turns manual where a policy's group or role targets matter.
 */
export const COVERAGE_REQUIRES: ResourceNeed[] = [
  { resource: 'conditionalAccessPolicies' },
  { resource: 'users' },
  { resource: 'groupMembers', optional: true },
  { resource: 'roleAssignments', optional: true },
  { resource: 'namedLocations', optional: true },
];

/** Returns the coverage analysis the checks share; analyzeCoverage keeps it per snapshot. */
export function coverageFor(context: CheckContext): CoverageReport {
  return analyzeCoverage(context.snapshot, { breakGlassAccounts: context.engagement?.breakGlassAccounts ?? [] });
}

function factsOf(snapshot: Snapshot): EvaluationFacts {
  return {
    directory: snapshot.directory,
    namedLocations: snapshot.resources.namedLocations ?? [],
    authenticationStrengths: snapshot.resources.authenticationStrengthPolicies ?? [],
    appGroups: APP_GROUP_TABLES,
  };
}

const unique = (values: string[]): string[] => [...new Set(values)];

/** Builds one finding per user class, merging that class's rows and listing apps and locations. */
function gapFindings<M extends string>(id: string, gaps: CoverageGap[], messageId: M, snapshot: Snapshot): Finding<M>[] {
  const byUser = new Map<string, CoverageGap[]>();
  for (const gap of gaps) {
    const list = byUser.get(gap.example.user.id);
    if (list) list.push(gap);
    else byUser.set(gap.example.user.id, [gap]);
  }
  const findings: Finding<M>[] = [];
  for (const [userId, ofUser] of byUser) {
    const rows = ofUser.map(coverageRow);
    const first = ofUser[0]!;
    const user = snapshot.directory.userById(userId);
    const objects: EvidenceObject[] = user ? [userEvidence(user)] : [{ type: 'user', id: userId, displayName: rows[0]!.exampleUser }];
    const policies = snapshot.resources.conditionalAccessPolicies ?? [];
    for (const candidate of first.candidates) {
      const policy = policies.find((entry) => entry.id === candidate.id);
      if (policy) objects.push(policyEvidence(policy));
    }
    const whyNotCovered = unique(rows.flatMap((row) => row.whyNotCovered));
    findings.push({
      key: `${id}:${userId}`,
      messageId,
      data: {
        user: rows[0]!.exampleUser,
        accounts: nameList(first.sampleUserIds.map((sampleId) => accountName(snapshot, sampleId)), 10, first.classSize),
        classSize: first.classSize,
        others: first.classSize - 1,
        apps: sample(unique(rows.flatMap((row) => row.apps)), 8),
        clientAppTypes: unique(rows.flatMap((row) => row.clientAppType.split(', '))),
        platforms: unique(rows.flatMap((row) => row.platform.split(', '))),
        locations: sample(unique(rows.flatMap((row) => row.locations)), 5),
        devices: unique(rows.flatMap((row) => row.device.split(', '))),
        whyNotCovered: whyNotCovered.length > 0 ? whyNotCovered : ['no policy would close this gap'],
      },
      objects,
    });
  }
  return findings;
}

/** Returns the sign-in name of a user as the gap rows show it: the UPN, else the display name, else the id. */
function accountName(snapshot: Snapshot, userId: string): string {
  const user = snapshot.directory.userById(userId);
  return user?.userPrincipalName ?? user?.displayName ?? userId;
}

function appName(snapshot: Snapshot, id: string): string {
  if (id === 'Office365' || id === 'MicrosoftAdminPortals') return id;
  const lower = id.toLowerCase();
  const known = Object.values(WELL_KNOWN_APPS).find((app) => app.appId === lower)?.displayName ?? APP_GROUP_TABLES.Office365.members.get(lower);
  const principal = snapshot.resources.servicePrincipals?.find((candidate) => candidate.appId?.toLowerCase() === lower);
  return principal?.displayName ?? known ?? objectName(snapshot, id);
}

/** Exclusions of a policy beyond the declared break-glass accounts, as names. */
function exclusionsOf(snapshot: Snapshot, policy: Graph.ConditionalAccessPolicy, declared: ReadonlySet<string>): string[] {
  const users = policy.conditions?.users;
  const apps = policy.conditions?.applications;
  const names: string[] = [];
  for (const id of users?.excludeUsers ?? []) {
    if (declared.has(id.toLowerCase())) continue;
    const user = snapshot.directory.userById(id);
    if (user && declared.has((user.userPrincipalName ?? '').toLowerCase())) continue;
    names.push(id === 'GuestsOrExternalUsers' ? 'all guest and external users' : `user ${objectName(snapshot, id)}`);
  }
  for (const id of users?.excludeGroups ?? []) names.push(`group ${objectName(snapshot, id)}`);
  for (const id of users?.excludeRoles ?? []) names.push(`role ${roleName(snapshot, id)}`);
  if (users?.excludeGuestsOrExternalUsers) names.push(`guest types ${String(users.excludeGuestsOrExternalUsers.guestOrExternalUserTypes ?? '')}`);
  for (const id of apps?.excludeApplications ?? []) names.push(`app ${appName(snapshot, id)}`);
  return names;
}

/**
 * Decides a coverage-based check from the gaps of one kind. Fails when an ordinary account has a
 * gap, naming each class, the report-only policies that would close it and the exclusions of the
 * enforcing policies. Gaps of suspected (undeclared) break-glass accounts, and conditions the
 * evaluator could not decide, give a warning; gaps of declared break-glass accounts are expected.
 */
export function evaluateCoverageCheck(id: string, kind: GapKind, context: CheckContext): CheckOutcome<CoverageMessage> {
  const { snapshot } = context;
  const report = coverageFor(context);
  const facts = factsOf(snapshot);
  const gaps = report.gaps.filter((gap) => gap.kind === kind);
  const breakGlassGaps = report.breakGlassGaps.filter((gap) => gap.kind === kind);
  const declared = new Set((context.engagement?.breakGlassAccounts ?? []).map((value) => value.toLowerCase()));
  const policies = snapshot.resources.conditionalAccessPolicies ?? [];
  const addressing = policies.filter((policy) => policyAddressesKind(kind, compilePolicy(policy), facts));

  // Without group members (or role assignments) the group and role targets of the policies that
  // address this kind look empty, so an excluded group would seem to exclude no one. A check that
  // found no gap is then undecided (manual), and gaps that were found carry the caveat.
  const incomplete = unresolvedTargets(snapshot, addressing);
  const incompleteFinding: Finding<CoverageMessage>[] =
    incomplete.length > 0 ? [{ key: `${id}:incomplete-data`, messageId: 'incomplete', data: { limitations: incomplete }, severity: 'medium', objects: [] }] : [];

  if (gaps.length > 0) {
    const findings: Finding<CoverageMessage>[] = gapFindings(id, gaps, 'gap', snapshot);
    // A report-only policy is named only when enabling it would close a reported gap.
    const closers = new Set(gaps.flatMap((gap) => gap.reportOnlyWouldClose.map((policy) => policy.id)));
    for (const policy of addressing) {
      if (policy.state === 'enabledForReportingButNotEnforced') {
        if (!closers.has(String(policy.id))) continue;
        findings.push({ key: `${id}:${policy.id}`, messageId: 'report-only-policy', data: { policy: policy.displayName ?? String(policy.id) }, severity: 'medium', objects: [policyEvidence(policy)] });
      } else if (policy.state === 'enabled') {
        const exclusions = exclusionsOf(snapshot, policy, declared);
        if (exclusions.length > 0) {
          findings.push({ key: `${id}:${policy.id}/exclusions`, messageId: 'policy-exclusions', data: { policy: policy.displayName ?? String(policy.id), exclusions: sample(exclusions, 15) }, severity: 'medium', objects: [policyEvidence(policy)] });
        }
      }
    }
    findings.push(...incompleteFinding);
    const data = { users: report.affected[kind].users, classes: report.affected[kind].classes, policies: addressing.filter((policy) => policy.state === 'enabled').length };
    return { state: 'fail', summary: { messageId: 'gaps-found', data }, findings };
  }

  if (incomplete.length > 0) {
    return { state: 'manual', summary: { messageId: 'incomplete', data: { limitations: incomplete } }, findings: incompleteFinding };
  }

  const suspected = breakGlassGaps.filter((gap) => gap.breakGlass === 'suspected');
  const locations = compileLocations(facts.namedLocations);
  const uncertain = unique(addressing.flatMap((policy) => staticProblems(compilePolicy(policy), locations).map((problem) => `${policy.displayName}: ${problem}`)));
  if (suspected.length > 0 || uncertain.length > 0) {
    const findings: Finding<CoverageMessage>[] = gapFindings(id, suspected, 'suspected-break-glass-gap', snapshot);
    if (uncertain.length > 0) findings.push({ key: `${id}:uncertain`, messageId: 'uncertain', data: { details: sample(uncertain, 10) }, severity: 'low', objects: [] });
    const data = { users: report.usersAnalysed, classes: report.userClasses };
    return { state: 'warn', summary: { messageId: 'covered', data }, findings };
  }

  const data = { users: report.usersAnalysed, classes: report.userClasses, breakGlass: unique(breakGlassGaps.map((gap) => coverageRow(gap).exampleUser)) };
  return { state: 'pass', summary: { messageId: breakGlassGaps.length > 0 ? 'covered-except-break-glass' : 'covered', data }, findings: [] };
}

/** Sentences naming the policies whose group or role targets cannot be resolved from the snapshot. */
function unresolvedTargets(snapshot: Snapshot, policies: readonly Graph.ConditionalAccessPolicy[]): string[] {
  const problems: string[] = [];
  const byGroups: string[] = [];
  const byRoles: string[] = [];
  for (const policy of policies) {
    const users = policy.conditions?.users;
    const name = policy.displayName ?? String(policy.id);
    if ((users?.includeGroups?.length ?? 0) + (users?.excludeGroups?.length ?? 0) > 0) byGroups.push(name);
    if ((users?.includeRoles?.length ?? 0) + (users?.excludeRoles?.length ?? 0) > 0) byRoles.push(name);
  }
  if (byGroups.length > 0 && snapshot.resources.groupMembers === undefined) {
    problems.push(`group members were not collected (${snapshot.statusOf('groupMembers').status}), so the groups of ${sample(byGroups, 5).join(', ')} cannot be resolved.`);
  }
  if (byRoles.length > 0 && snapshot.resources.roleAssignments === undefined) {
    problems.push(`role assignments were not collected (${snapshot.statusOf('roleAssignments').status}), so the roles of ${sample(byRoles, 5).join(', ')} cannot be resolved.`);
  }
  return problems;
}
