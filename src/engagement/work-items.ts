/**
 * Ids of the work items an engagement file may name. The deliverables module contains their titles,
 * projects and effort estimates; the ids live here so the engagement schema can validate them.
 */

/** The eight services of the scope boundaries table, in the order the table shows them. */
export const SCOPE_WORK_ITEMS = [
  'mfa-enrollment-help',
  'conditional-access-assessment',
  'admin-phishing-resistant-mfa-rollout',
  'session-revocation-one-user',
  'tenant-wide-sign-in-review',
  'client-reporting',
  'policy-redesign',
  'monthly-sign-in-review',
] as const;
export type ScopeWorkItem = (typeof SCOPE_WORK_ITEMS)[number];

/** Remediation work items a finding maps to; each belongs to one of the scope work items above. */
export const REMEDIATION_WORK_ITEMS = [
  'reduce-global-admins',
  'move-admin-roles-to-pim',
  'remove-guest-admins',
  'configure-break-glass-accounts',
  'register-admin-phishing-resistant-methods',
  'help-users-register-mfa',
  'require-phishing-resistant-mfa-for-admins',
  'block-device-code-flow',
  'require-mfa-for-all-users',
  'block-legacy-authentication',
  'enforce-report-only-policies',
  'review-policy-exclusions',
  'require-compliant-devices',
  'enable-token-protection',
  'collect-sign-in-logs',
  'review-device-code-sign-ins',
  'revoke-compromised-session',
  'prepare-session-revocation-runbook',
  'record-client-decisions',
  'review-licensing',
] as const;
export type RemediationWorkItem = (typeof REMEDIATION_WORK_ITEMS)[number];

export type WorkItemId = ScopeWorkItem | RemediationWorkItem;
export const WORK_ITEM_IDS: readonly WorkItemId[] = [...SCOPE_WORK_ITEMS, ...REMEDIATION_WORK_ITEMS];

/** Roles on the MSP's rate card. */
export const ROLES = ['technician', 'engineer', 'vcio', 'projectManager'] as const;
export type Role = (typeof ROLES)[number];

/** Whether the monthly support contract covers a work item. */
export const INCLUSION_VALUES = ['yes', 'maybe', 'no'] as const;
export type Inclusion = (typeof INCLUSION_VALUES)[number];
