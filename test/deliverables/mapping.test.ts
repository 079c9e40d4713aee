import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { ControlArea } from '../../src/checks/types.js';
import { workItemForCheck } from '../../src/deliverables/mapping.js';

const cases: [string, ControlArea, string][] = [
  ['global-administrator-count-is-two-to-four', 'privileged-access', 'reduce-global-admins'],
  ['privileged-roles-use-pim-eligibility', 'privileged-access', 'move-admin-roles-to-pim'],
  ['guests-hold-no-admin-roles', 'privileged-access', 'remove-guest-admins'],
  ['break-glass-accounts-are-declared-and-excluded', 'privileged-access', 'configure-break-glass-accounts'],
  ['admins-have-phishing-resistant-methods-registered', 'mfa-strength', 'register-admin-phishing-resistant-methods'],
  ['admin-roles-require-phishing-resistant-mfa', 'mfa-strength', 'require-phishing-resistant-mfa-for-admins'],
  ['device-code-flow-is-blocked', 'device-code-flow', 'block-device-code-flow'],
  ['authentication-transfer-is-blocked', 'device-code-flow', 'block-device-code-flow'],
  ['mfa-required-for-all-users', 'conditional-access', 'require-mfa-for-all-users'],
  ['legacy-authentication-is-blocked', 'conditional-access', 'block-legacy-authentication'],
  ['conditional-access-policies-are-enforced', 'conditional-access', 'enforce-report-only-policies'],
  ['conditional-access-exclusions-are-reviewed', 'conditional-access', 'review-policy-exclusions'],
  ['sign-in-logs-cover-30-days', 'sign-in-review', 'collect-sign-in-logs'],
  ['no-device-code-sign-ins', 'sign-in-review', 'review-device-code-sign-ins'],
  ['session-revocation-owners-are-named', 'session-revocation', 'prepare-session-revocation-runbook'],
  ['synced-users-have-an-on-premises-revocation-step', 'session-revocation', 'prepare-session-revocation-runbook'],
  ['compliant-device-required-for-m365-and-admin-portals', 'device-compliance', 'require-compliant-devices'],
  ['token-protection-policy-is-enabled', 'device-compliance', 'enable-token-protection'],
  ['incident-decision-owners-are-named', 'client-responsibilities', 'record-client-decisions'],
  ['tenant-licenses-cover-token-theft-controls', 'licensing', 'review-licensing'],
  // An id that matches no rule falls back to its area's default.
  ['some-future-check', 'conditional-access', 'require-mfa-for-all-users'],
];

for (const [checkId, area, workItem] of cases) {
  test(`${checkId} maps to ${workItem}`, () => {
    assert.equal(workItemForCheck(checkId, area), workItem);
  });
}
