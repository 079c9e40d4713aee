import type { License, ScopeClass } from '../checks/types.js';
import type { RemediationWorkItem, Role, ScopeWorkItem, WorkItemId } from '../engagement/work-items.js';

/*
 * The work items, projects and effort estimates behind the scope, roadmap and quote.
 * Every hour figure here is an estimate written for a small or mid-sized tenant (up to a few
 * hundred users): an MSP replaces it with its own figures under `effortDefaults` in the
 * engagement file. Documented in docs/deliverables.md.
 */

export const PROJECTS = [
  // First: a probable compromise is acted on before any hardening.
  'incident-response',
  'identity-readiness-assessment',
  'admin-phishing-resistant-mfa-rollout',
  'conditional-access-redesign',
  'device-compliance',
  'monthly-sign-in-review-service',
] as const;
export type ProjectId = (typeof PROJECTS)[number];

export const PROJECT_TITLES: Record<ProjectId, string> = {
  'incident-response': 'Incident response: revoke the stolen session',
  'identity-readiness-assessment': 'Identity readiness assessment',
  'admin-phishing-resistant-mfa-rollout': 'Admin phishing-resistant MFA rollout',
  'conditional-access-redesign': 'Conditional Access redesign',
  'device-compliance': 'Device compliance',
  'monthly-sign-in-review-service': 'Monthly sign-in review service',
};

export const ROLE_TITLES: Record<Role, string> = {
  technician: 'Service desk technician',
  engineer: 'Identity and security engineer',
  vcio: 'vCIO / account lead',
  projectManager: 'Project manager',
};

/** Hours as a range; estimates are never a single number. */
export interface HoursRange {
  min: number;
  max: number;
}

export interface WorkItemDefinition {
  id: WorkItemId;
  title: string;
  /** One sentence on what the work is, for the quote and the PSA import. */
  description: string;
  role: Role;
  /** Hours whatever the number of objects. */
  baseHours: HoursRange;
  /** Hours added per object the findings name. */
  perObjectHours: HoursRange;
  /** Commercial class the work belongs in, independent of the current contract. */
  betterScope: ScopeClass;
  /**
   * Objects the per-object hours count: the people and groups the findings name (`principals`, the
   * default) or the Conditional Access policies they name (`policies`).
   */
  unit?: 'principals' | 'policies';
  license?: License;
}

export interface ScopeWorkItemDefinition extends WorkItemDefinition {
  id: ScopeWorkItem;
  /** Reason for the better scope, shown in the scope boundaries table. */
  scopeReason: string;
}

export interface RemediationWorkItemDefinition extends WorkItemDefinition {
  id: RemediationWorkItem;
  project: ProjectId;
  /** The scope work item whose contract line covers this remediation. */
  scopeItem: ScopeWorkItem;
}

const none: HoursRange = { min: 0, max: 0 };

export const SCOPE_ITEM_DEFINITIONS: Record<ScopeWorkItem, ScopeWorkItemDefinition> = {
  'mfa-enrollment-help': {
    id: 'mfa-enrollment-help',
    title: 'MFA enrollment help',
    description: 'Help one user register or replace an MFA method.',
    role: 'technician',
    baseHours: { min: 0.25, max: 0.5 },
    perObjectHours: none,
    betterScope: 'included-support',
    scopeReason: 'Short, repeatable service desk work that users need every month.',
  },
  'conditional-access-assessment': {
    id: 'conditional-access-assessment',
    title: 'Conditional Access assessment',
    description: 'Assess the tenant with tokengap and explain the findings.',
    role: 'engineer',
    baseHours: { min: 4, max: 8 },
    perObjectHours: none,
    betterScope: 'fixed-fee-assessment',
    scopeReason: 'A bounded piece of work with a known output; a fixed fee keeps it predictable for both sides.',
  },
  'admin-phishing-resistant-mfa-rollout': {
    id: 'admin-phishing-resistant-mfa-rollout',
    title: 'Phishing-resistant admin MFA rollout',
    description: 'Issue passkeys or security keys to admins and enforce them with Conditional Access.',
    role: 'engineer',
    baseHours: { min: 4, max: 8 },
    perObjectHours: { min: 1, max: 1.5 },
    betterScope: 'hardening-project',
    scopeReason: 'A change project with hardware, scheduling and a cut-over; it grows with the number of admins.',
  },
  'session-revocation-one-user': {
    id: 'session-revocation-one-user',
    title: 'Token and session revocation for one compromised user',
    description: 'Capture evidence, revoke sessions and reset methods for one user.',
    role: 'engineer',
    baseHours: { min: 1, max: 2 },
    perObjectHours: none,
    betterScope: 'capped-emergency-allowance',
    scopeReason: 'Urgent and small; a capped allowance lets the MSP act at once without a quote.',
  },
  'tenant-wide-sign-in-review': {
    id: 'tenant-wide-sign-in-review',
    title: 'Tenant-wide sign-in review after a campaign',
    description: 'Review every sign-in for signs of a phishing campaign and contain what is found.',
    role: 'engineer',
    baseHours: { min: 6, max: 12 },
    perObjectHours: none,
    betterScope: 'incident-response',
    scopeReason: 'Its size depends on the incident, so it is billed as incident response, not a flat fee.',
  },
  'client-reporting': {
    id: 'client-reporting',
    title: 'Client reporting and executive summary',
    description: 'Prepare the QBR gap analysis, the client message and the executive summary.',
    role: 'vcio',
    baseHours: { min: 1, max: 2 },
    perObjectHours: none,
    betterScope: 'included-support',
    scopeReason: 'Regular reporting is part of a managed relationship.',
  },
  'policy-redesign': {
    id: 'policy-redesign',
    title: 'Policy redesign after findings',
    description: 'Redesign Conditional Access, admin roles and device policies to close the findings.',
    role: 'engineer',
    baseHours: { min: 8, max: 16 },
    perObjectHours: none,
    betterScope: 'hardening-project',
    scopeReason: 'Changes that can lock users out need a plan, a pilot and a client sign-off.',
  },
  'monthly-sign-in-review': {
    id: 'monthly-sign-in-review',
    title: 'Monthly sign-in review service',
    description: 'Review a month of sign-ins for device-code, token replay and unusual locations.',
    role: 'engineer',
    baseHours: { min: 1, max: 2 },
    perObjectHours: none,
    betterScope: 'roadmap-item',
    scopeReason: 'A new recurring service the client adds to the contract once sign-in logs are kept.',
    license: 'entraIdP1',
  },
};

function remediation(definition: Omit<RemediationWorkItemDefinition, 'betterScope'> & { betterScope?: ScopeClass }): RemediationWorkItemDefinition {
  return { betterScope: 'hardening-project', ...definition };
}

export const REMEDIATION_DEFINITIONS: Record<RemediationWorkItem, RemediationWorkItemDefinition> = {
  'reduce-global-admins': remediation({
    id: 'reduce-global-admins',
    title: 'Reduce standing admin access',
    description: 'Move daily work off Global Administrator and other privileged roles to least-privileged roles.',
    project: 'identity-readiness-assessment',
    scopeItem: 'policy-redesign',
    role: 'engineer',
    baseHours: { min: 1, max: 2 },
    perObjectHours: { min: 0.25, max: 0.5 },
  }),
  'move-admin-roles-to-pim': remediation({
    id: 'move-admin-roles-to-pim',
    title: 'Move admin roles to PIM eligibility',
    description: 'Make privileged role assignments eligible through Privileged Identity Management with approval.',
    project: 'admin-phishing-resistant-mfa-rollout',
    scopeItem: 'admin-phishing-resistant-mfa-rollout',
    role: 'engineer',
    baseHours: { min: 2, max: 4 },
    perObjectHours: { min: 0.5, max: 1 },
    license: 'entraIdP2',
  }),
  'remove-guest-admins': remediation({
    id: 'remove-guest-admins',
    title: 'Remove admin roles from guests',
    description: 'Replace guest admin accounts with member accounts or remove their roles.',
    project: 'identity-readiness-assessment',
    scopeItem: 'policy-redesign',
    role: 'engineer',
    baseHours: { min: 0.5, max: 1 },
    perObjectHours: { min: 0.25, max: 0.5 },
  }),
  'configure-break-glass-accounts': remediation({
    id: 'configure-break-glass-accounts',
    title: 'Configure break-glass accounts',
    description: 'Create or confirm two emergency-access accounts, exclude them from Conditional Access and alert on their use.',
    project: 'conditional-access-redesign',
    scopeItem: 'policy-redesign',
    role: 'engineer',
    baseHours: { min: 2, max: 3 },
    perObjectHours: { min: 0.25, max: 0.5 },
  }),
  'register-admin-phishing-resistant-methods': remediation({
    id: 'register-admin-phishing-resistant-methods',
    title: 'Register phishing-resistant methods for admins',
    description: 'Issue a passkey or security key to each admin and confirm the registration.',
    project: 'admin-phishing-resistant-mfa-rollout',
    scopeItem: 'admin-phishing-resistant-mfa-rollout',
    role: 'technician',
    baseHours: { min: 1, max: 2 },
    perObjectHours: { min: 0.75, max: 1.5 },
  }),
  'help-users-register-mfa': remediation({
    id: 'help-users-register-mfa',
    title: 'Help users register MFA',
    description: 'Walk users without a registered MFA method through registration.',
    project: 'identity-readiness-assessment',
    scopeItem: 'mfa-enrollment-help',
    role: 'technician',
    baseHours: { min: 0.5, max: 1 },
    perObjectHours: { min: 0.25, max: 0.5 },
    betterScope: 'included-support',
  }),
  'require-phishing-resistant-mfa-for-admins': remediation({
    id: 'require-phishing-resistant-mfa-for-admins',
    title: 'Require phishing-resistant MFA for admin roles',
    description: 'Enforce the phishing-resistant authentication strength for every admin role on all resources.',
    project: 'admin-phishing-resistant-mfa-rollout',
    scopeItem: 'admin-phishing-resistant-mfa-rollout',
    role: 'engineer',
    baseHours: { min: 2, max: 4 },
    perObjectHours: { min: 0.25, max: 0.5 },
    license: 'entraIdP1',
  }),
  'block-device-code-flow': remediation({
    id: 'block-device-code-flow',
    title: 'Block device code flow and authentication transfer',
    description: 'Block the device code flow and authentication transfer for all users, with named exceptions only.',
    project: 'conditional-access-redesign',
    scopeItem: 'policy-redesign',
    role: 'engineer',
    baseHours: { min: 1.5, max: 3 },
    perObjectHours: { min: 0.25, max: 0.5 },
    license: 'entraIdP1',
  }),
  'require-mfa-for-all-users': remediation({
    id: 'require-mfa-for-all-users',
    title: 'Require MFA for all users on all resources',
    description: 'Enforce MFA for every user on every resource, excluding only break-glass accounts.',
    project: 'conditional-access-redesign',
    scopeItem: 'policy-redesign',
    role: 'engineer',
    baseHours: { min: 2, max: 4 },
    perObjectHours: { min: 0.25, max: 0.5 },
    license: 'entraIdP1',
  }),
  'block-legacy-authentication': remediation({
    id: 'block-legacy-authentication',
    title: 'Block legacy authentication',
    description: 'Block Exchange ActiveSync and other legacy clients after moving the accounts that still use them.',
    project: 'conditional-access-redesign',
    scopeItem: 'policy-redesign',
    role: 'engineer',
    baseHours: { min: 1.5, max: 3 },
    perObjectHours: { min: 0.25, max: 0.5 },
    license: 'entraIdP1',
  }),
  'enforce-report-only-policies': remediation({
    id: 'enforce-report-only-policies',
    title: 'Turn on report-only and disabled policies',
    description: 'Review the report-only results of each policy, then switch it on.',
    project: 'conditional-access-redesign',
    scopeItem: 'policy-redesign',
    role: 'engineer',
    baseHours: { min: 1, max: 2 },
    perObjectHours: { min: 0.5, max: 1 },
    license: 'entraIdP1',
    unit: 'policies',
  }),
  'review-policy-exclusions': remediation({
    id: 'review-policy-exclusions',
    title: 'Review Conditional Access exclusions',
    description: 'Remove policy exclusions that no longer have an owner and a reason.',
    project: 'conditional-access-redesign',
    scopeItem: 'policy-redesign',
    role: 'engineer',
    baseHours: { min: 1, max: 2 },
    perObjectHours: { min: 0.25, max: 0.5 },
    license: 'entraIdP1',
  }),
  'require-compliant-devices': remediation({
    id: 'require-compliant-devices',
    title: 'Require compliant devices for Microsoft 365 and admin portals',
    description: 'Enroll devices in Intune, define compliance policies and require a compliant or hybrid-joined device.',
    project: 'device-compliance',
    scopeItem: 'policy-redesign',
    role: 'engineer',
    baseHours: { min: 4, max: 8 },
    perObjectHours: { min: 0.5, max: 1 },
    license: 'intune',
  }),
  'enable-token-protection': remediation({
    id: 'enable-token-protection',
    title: 'Enable token protection for sign-in sessions',
    description: 'Require token protection for supported Windows sign-ins to Exchange, SharePoint and Teams.',
    project: 'device-compliance',
    scopeItem: 'policy-redesign',
    role: 'engineer',
    baseHours: { min: 2, max: 4 },
    perObjectHours: { min: 0.25, max: 0.5 },
    license: 'entraIdP1',
  }),
  'collect-sign-in-logs': remediation({
    id: 'collect-sign-in-logs',
    title: 'Keep sign-in logs for review',
    description: 'Export sign-in logs to storage or a workspace so a month of them can be reviewed.',
    project: 'monthly-sign-in-review-service',
    scopeItem: 'monthly-sign-in-review',
    role: 'engineer',
    baseHours: { min: 1, max: 2 },
    perObjectHours: none,
    license: 'entraIdP1',
    betterScope: 'roadmap-item',
  }),
  'review-device-code-sign-ins': remediation({
    id: 'review-device-code-sign-ins',
    title: 'Investigate device-code sign-ins',
    description: 'Confirm each device-code sign-in with the user and revoke the sessions of any that were not theirs.',
    project: 'monthly-sign-in-review-service',
    scopeItem: 'session-revocation-one-user',
    role: 'engineer',
    baseHours: { min: 0.5, max: 1 },
    perObjectHours: { min: 0.5, max: 1 },
    betterScope: 'capped-emergency-allowance',
  }),
  'revoke-compromised-session': remediation({
    id: 'revoke-compromised-session',
    title: 'Token/session revocation for one compromised user',
    description: 'Capture the sign-in evidence, revoke the sessions, reset the password and MFA methods, and check mailbox rules for one user the sign-in logs show as probably compromised.',
    project: 'incident-response',
    scopeItem: 'session-revocation-one-user',
    role: 'engineer',
    baseHours: { min: 0, max: 0 },
    perObjectHours: { min: 1, max: 2 },
    betterScope: 'capped-emergency-allowance',
  }),
  'prepare-session-revocation-runbook': remediation({
    id: 'prepare-session-revocation-runbook',
    title: 'Prepare and test the session-revocation runbook',
    description: 'Name the owners, write the steps (including the on-premises step for synced users) and test them.',
    project: 'identity-readiness-assessment',
    scopeItem: 'session-revocation-one-user',
    role: 'engineer',
    baseHours: { min: 2, max: 3 },
    perObjectHours: { min: 0.25, max: 0.5 },
  }),
  'record-client-decisions': remediation({
    id: 'record-client-decisions',
    title: 'Record the client decisions',
    description: 'Agree with the client who approves disruptive actions, who decides breach questions and how users report.',
    project: 'identity-readiness-assessment',
    scopeItem: 'client-reporting',
    role: 'vcio',
    baseHours: { min: 0.5, max: 1 },
    perObjectHours: { min: 0.25, max: 0.5 },
    betterScope: 'fixed-fee-assessment',
  }),
  'review-licensing': remediation({
    id: 'review-licensing',
    title: 'Review licensing against the controls needed',
    description: 'Decide which users need Entra ID P1 or P2 for the controls in this roadmap.',
    project: 'identity-readiness-assessment',
    scopeItem: 'client-reporting',
    role: 'vcio',
    baseHours: { min: 0.5, max: 1 },
    perObjectHours: none,
    betterScope: 'fixed-fee-assessment',
  }),
};

/** Features each license unlocks, for the license upgrade table. */
export const LICENSE_FEATURES: Record<License, string> = {
  entraIdP1: 'Conditional Access (device code flow block, MFA and authentication strength policies), sign-in logs through Graph, 30 days of sign-in log retention instead of 7',
  entraIdP2: 'Privileged Identity Management (eligible admin roles with approval), risk-based Conditional Access, risky users',
  entraIdGovernance: 'Privileged Identity Management and access reviews, for tenants that buy governance without P2',
  intune: 'Device enrollment and compliance policies that Conditional Access can require',
};
