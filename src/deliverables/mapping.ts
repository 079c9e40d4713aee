import type { ControlArea } from '../checks/types.js';
import type { RemediationWorkItem } from '../engagement/work-items.js';

/**
 * Rules that map a check to the remediation work item that fixes it, tried in order: the first
 * rule whose area matches and whose pattern matches the check id wins. Check ids state the good
 * state (`device-code-flow-blocked`), so the patterns look for the control's words in them.
 */
const RULES: { area: ControlArea; pattern: RegExp; workItem: RemediationWorkItem }[] = [
  { area: 'privileged-access', pattern: /break-?glass|emergency/, workItem: 'configure-break-glass-accounts' },
  { area: 'privileged-access', pattern: /guest/, workItem: 'remove-guest-admins' },
  { area: 'privileged-access', pattern: /pim|permanent|eligib|standing/, workItem: 'move-admin-roles-to-pim' },
  { area: 'mfa-strength', pattern: /polic|strength|require|conditional/, workItem: 'require-phishing-resistant-mfa-for-admins' },
  { area: 'mfa-strength', pattern: /all-users|users-registered|enrol/, workItem: 'help-users-register-mfa' },
  { area: 'conditional-access', pattern: /legacy/, workItem: 'block-legacy-authentication' },
  { area: 'conditional-access', pattern: /report-only|disabled|enforced/, workItem: 'enforce-report-only-policies' },
  { area: 'conditional-access', pattern: /exclu/, workItem: 'review-policy-exclusions' },
  { area: 'sign-in-review', pattern: /compromise/, workItem: 'revoke-compromised-session' },
  { area: 'sign-in-review', pattern: /device-code/, workItem: 'review-device-code-sign-ins' },
  { area: 'device-compliance', pattern: /token|secure-sign-in/, workItem: 'enable-token-protection' },
];

/** The work item for a check no rule names, per control area. */
const AREA_DEFAULTS: Record<ControlArea, RemediationWorkItem> = {
  'privileged-access': 'reduce-global-admins',
  'mfa-strength': 'register-admin-phishing-resistant-methods',
  'device-code-flow': 'block-device-code-flow',
  'conditional-access': 'require-mfa-for-all-users',
  'sign-in-review': 'collect-sign-in-logs',
  'session-revocation': 'prepare-session-revocation-runbook',
  'device-compliance': 'require-compliant-devices',
  'client-responsibilities': 'record-client-decisions',
  licensing: 'review-licensing',
};

/** Returns the remediation work item for a check. */
export function workItemForCheck(checkId: string, area: ControlArea): RemediationWorkItem {
  const id = checkId.toLowerCase();
  const rule = RULES.find((candidate) => candidate.area === area && candidate.pattern.test(id));
  return rule?.workItem ?? AREA_DEFAULTS[area];
}
