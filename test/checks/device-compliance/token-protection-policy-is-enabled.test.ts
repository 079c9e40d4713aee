import { tokenProtectionPolicyIsEnabled as check } from '../../../src/checks/device-compliance/token-protection-policy-is-enabled.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { group, policy } from '../../helpers/tenant.js';

const pilot = group({ displayName: 'Token protection pilot' });
const tokenProtection = (overrides: Parameters<typeof policy>[0] = {}) =>
  policy({
    displayName: 'Require token protection',
    grantControls: null,
    sessionControls: { secureSignInSession: { isEnabled: true } },
    conditions: { platforms: { includePlatforms: ['windows'] }, clientAppTypes: ['mobileAppsAndDesktopClients'] },
    ...overrides,
  });

runCheckCases(check, [
  {
    name: 'enabled policy passes',
    tenant: { conditionalAccessPolicies: [policy(), tokenProtection()] },
    expect: { state: 'pass', summary: 'enforced' },
  },
  {
    name: 'pilot group counts as enabled',
    tenant: { conditionalAccessPolicies: [tokenProtection({ conditions: { users: { includeUsers: [], includeGroups: [pilot.id!] } } })] },
    expect: { state: 'pass' },
  },
  {
    name: 'no policy fails',
    tenant: { conditionalAccessPolicies: [policy()] },
    expect: { state: 'fail', findings: [{ messageId: 'no-policy', key: 'token-protection-policy-is-enabled' }] },
  },
  {
    name: 'control present but switched off',
    tenant: { conditionalAccessPolicies: [tokenProtection({ sessionControls: { secureSignInSession: { isEnabled: false } } })] },
    expect: { state: 'fail', findings: [{ messageId: 'no-policy' }] },
  },
  {
    name: 'report-only policy fails',
    tenant: { conditionalAccessPolicies: [tokenProtection({ state: 'enabledForReportingButNotEnforced' })] },
    expect: { state: 'fail', summary: 'not-enforced', findings: [{ messageId: 'report-only', data: { policy: 'Require token protection' } }] },
  },
  {
    name: 'disabled and empty policies fail',
    tenant: {
      conditionalAccessPolicies: [
        tokenProtection({ state: 'disabled' }),
        tokenProtection({ displayName: 'Token protection for nobody', conditions: { users: { includeUsers: ['None'] } } }),
      ],
    },
    expect: { state: 'fail', findings: [{ messageId: 'disabled' }, { messageId: 'targets-nobody', data: { policy: 'Token protection for nobody' } }] },
  },
  {
    name: 'tenant without P1 is skipped',
    tenant: { conditionalAccessPolicies: [], subscribedSkus: [] },
    expect: { state: 'skipped', skipReason: 'license-missing' },
  },
]);
