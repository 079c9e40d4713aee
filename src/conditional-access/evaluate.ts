import type * as Graph from '@microsoft/microsoft-graph-types';

import { compileLocations, resolveSignInLocation } from './locations.js';
import {
  asList,
  compilePolicy,
  matchClientApp,
  matchDevice,
  matchFlow,
  matchLevels,
  matchLocation,
  matchPlatform,
  matchTarget,
  matchUsers,
  type CompiledPolicy,
  type ConditionResult,
  type ResolvedUser,
} from './policy.js';
import { resolveStrength } from './strengths.js';
import type {
  EvaluationFacts,
  Evaluation,
  ExternalUserType,
  GrantControl,
  Outcome,
  PolicyResult,
  ReasonCode,
  RequirementTree,
  SessionControlEntry,
  SignInContext,
  SignInUser,
  Uncertainty,
} from './types.js';

export const POLICY_STATES = ['enabled', 'disabled', 'enabledForReportingButNotEnforced'] as const;

const EMPTY: ReadonlySet<string> = new Set();

function lowerSet(values: Iterable<string>): Set<string> {
  const result = new Set<string>();
  for (const value of values) result.add(value.toLowerCase());
  return result;
}

const EXTERNAL_UPN = /#ext#/i;

/**
 * Classifies a directory user for guest and external user conditions. Graph does not store the
 * Conditional Access type, so it is derived: an account from another tenant carries `#EXT#` in
 * its UPN or was created by invitation.
 */
export function externalUserTypeOf(user: Graph.User | undefined): ExternalUserType | null {
  if (!user) return null;
  const externalAccount = EXTERNAL_UPN.test(user.userPrincipalName ?? '') || user.creationType === 'Invitation' || (user.externalUserState ?? null) !== null;
  const isGuest = user.userType === 'Guest' || (typeof user.userType === 'string' && user.userType.toLowerCase() === 'guest');
  if (isGuest) return externalAccount ? 'b2bCollaborationGuest' : 'internalGuest';
  if (externalAccount) return 'b2bCollaborationMember';
  return null;
}

export function resolveUser(user: SignInUser, facts: EvaluationFacts): ResolvedUser {
  const directory = facts.directory;
  let groups: ReadonlySet<string> = EMPTY;
  if (user.groups) groups = lowerSet(user.groups);
  else if (directory) groups = lowerSet(directory.transitiveGroupsOf(user.id));
  let roles: ReadonlySet<string> = EMPTY;
  if (user.roles) roles = lowerSet(user.roles);
  else if (directory) roles = lowerSet(directory.activeTenantRolesOf(user.id));
  const externalUserType = user.externalUserType !== undefined ? user.externalUserType : externalUserTypeOf(directory?.userById(user.id));
  const resolved: ResolvedUser = { id: user.id.toLowerCase(), groups, roles, externalUserType };
  if (user.externalTenantId !== undefined) resolved.externalTenantId = user.externalTenantId;
  return resolved;
}

/** Grant controls of a policy as an operator tree; `block` is reported separately. */
export function requirementTree(policy: CompiledPolicy, facts: EvaluationFacts): { blocks: boolean; tree?: RequirementTree } {
  const grant = policy.source.grantControls;
  if (!grant) return { blocks: false };
  const builtIns = asList(grant.builtInControls);
  if (builtIns.some((control) => control.toLowerCase() === 'block')) return { blocks: true };

  const controls: GrantControl[] = builtIns.map((control) => ({ control }));
  const strength = resolveStrength(grant.authenticationStrength, facts.authenticationStrengths);
  if (strength?.id) {
    const entry: GrantControl = { control: `authenticationStrength:${strength.id}` };
    if (strength.displayName) entry.displayName = strength.displayName;
    if (Array.isArray(strength.allowedCombinations)) entry.allowedCombinations = strength.allowedCombinations;
    controls.push(entry);
  }
  for (const id of asList(grant.termsOfUse)) controls.push({ control: `termsOfUse:${id}` });
  for (const id of asList(grant.customAuthenticationFactors)) controls.push({ control: `customControl:${id}` });
  if (controls.length === 0) return { blocks: false };
  const operator = String(grant.operator ?? 'AND').toUpperCase() === 'OR' ? 'OR' : 'AND';
  return { blocks: false, tree: { policyId: policy.id, displayName: policy.displayName, operator, controls } };
}

function sessionControlsOf(policy: CompiledPolicy): SessionControlEntry[] {
  const session = policy.source.sessionControls as Record<string, unknown> | null | undefined;
  if (!session) return [];
  const entries: SessionControlEntry[] = [];
  for (const [control, settings] of Object.entries(session)) {
    if (control.includes('@odata')) continue;
    if (settings === null || settings === undefined || settings === false) continue;
    if (typeof settings === 'object' && (settings as { isEnabled?: unknown }).isEnabled === false) continue;
    entries.push({ policyId: policy.id, control, settings });
  }
  return entries;
}

/** Tests every condition of one policy; returns the failed conditions and notes. */
function testConditions(
  policy: CompiledPolicy,
  user: ResolvedUser,
  context: SignInContext,
  facts: EvaluationFacts,
  location: () => ReturnType<typeof resolveSignInLocation>,
): { reasons: ReasonCode[]; notes: Uncertainty[] } {
  const reasons: ReasonCode[] = [];
  const notes: Uncertainty[] = [];
  const record = (reason: ReasonCode, result: ConditionResult): void => {
    if (result.note) notes.push({ policyId: policy.id, condition: reason, detail: result.note });
    if (!result.matched) reasons.push(reason);
  };

  if (policy.workloadOnly) record('users', { matched: false });
  else record('users', matchUsers(policy, user));
  const target = matchTarget(policy, context.target, facts.appGroups);
  record(target.reason, target);
  record('clientApps', matchClientApp(policy, context.clientAppType));
  record('devicePlatform', matchPlatform(policy, context.platform));
  if (policy.locations) record('location', matchLocation(policy, location(), compileLocations(facts.namedLocations)));
  const device = matchDevice(policy, context.device);
  record(device.note ? 'invalidCondition' : 'devices', device);
  record('signInRisk', matchLevels(policy.signInRisk, context.signInRisk ?? 'none'));
  record('userRisk', matchLevels(policy.userRisk, context.userRisk ?? 'none'));
  record('insiderRisk', matchLevels(policy.insiderRisk, context.insiderRisk ?? 'none'));
  record('authenticationFlow', matchFlow(policy, context.flow));
  return { reasons, notes };
}

function combine(applying: CompiledPolicy[], facts: EvaluationFacts): Outcome {
  const outcome: Outcome = { access: 'granted', blockedBy: [], requirements: [], sessionControls: [] };
  for (const policy of applying) {
    const { blocks, tree } = requirementTree(policy, facts);
    if (blocks) outcome.blockedBy.push(policy.id);
    if (tree) outcome.requirements.push(tree);
    outcome.sessionControls.push(...sessionControlsOf(policy));
  }
  // A block in any applying policy wins over every other control.
  if (outcome.blockedBy.length > 0) outcome.access = 'blocked';
  else if (outcome.requirements.length > 0) outcome.access = 'requirements';
  return outcome;
}

/**
 * Evaluates Conditional Access policies for one sign-in, as Entra ID does.
 *
 * A policy applies when every configured condition matches; exclusions beat inclusions.
 * Disabled policies never apply (reason `policyNotEnabled`). Report-only policies are tested like
 * enabled ones and reported per policy, but only `reportOnly` (the outcome if they were enforced
 * too) reflects them. Where the data cannot decide a condition, the policy is treated as not
 * applying and the reason is listed in `uncertain`, so a gap is never hidden by a guess.
 */
export function evaluatePolicies(policies: readonly Graph.ConditionalAccessPolicy[], facts: EvaluationFacts, context: SignInContext): Evaluation {
  const user = resolveUser(context.user, facts);
  let resolvedLocation: ReturnType<typeof resolveSignInLocation> | undefined;
  const location = () => (resolvedLocation ??= resolveSignInLocation(compileLocations(facts.namedLocations), context.ip, context.country));

  const results: PolicyResult[] = [];
  const uncertain: Uncertainty[] = [];
  const enforced: CompiledPolicy[] = [];
  const wouldApply: CompiledPolicy[] = [];

  for (const source of policies) {
    const policy = compilePolicy(source);
    const result: PolicyResult = { id: policy.id, displayName: policy.displayName, state: policy.state, applies: false, reasons: [] };
    results.push(result);
    if (policy.state === 'disabled') {
      result.reasons.push('policyNotEnabled');
      continue;
    }
    if (policy.state !== 'enabled' && policy.state !== 'enabledForReportingButNotEnforced') {
      result.reasons.push('invalidCondition');
      uncertain.push({ policyId: policy.id, condition: 'invalidCondition', detail: `unknown policy state "${policy.state}"` });
      continue;
    }
    const { reasons, notes } = testConditions(policy, user, context, facts, location);
    result.reasons = reasons;
    result.applies = reasons.length === 0;
    uncertain.push(...notes);
    if (!result.applies) continue;
    wouldApply.push(policy);
    if (policy.state === 'enabled') enforced.push(policy);
  }

  return { policies: results, outcome: combine(enforced, facts), reportOnly: combine(wouldApply, facts), uncertain };
}
