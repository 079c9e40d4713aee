import { incidentDecisionOwnersAreNamed } from './client-responsibilities/incident-decision-owners-are-named.js';
import { conditionalAccessExclusionsAreReviewed } from './conditional-access/conditional-access-exclusions-are-reviewed.js';
import { conditionalAccessPoliciesAreEnforced } from './conditional-access/conditional-access-policies-are-enforced.js';
import { legacyAuthenticationIsBlocked } from './conditional-access/legacy-authentication-is-blocked.js';
import { mfaRequiredForAllUsers } from './conditional-access/mfa-required-for-all-users.js';
import { securityDefaultsAndConditionalAccessDoNotConflict } from './conditional-access/security-defaults-and-conditional-access-do-not-conflict.js';
import { authenticationTransferIsBlocked } from './device-code-flow/authentication-transfer-is-blocked.js';
import { deviceCodeFlowIsBlocked } from './device-code-flow/device-code-flow-is-blocked.js';
import { compliantDeviceRequiredForM365AndAdminPortals } from './device-compliance/compliant-device-required-for-m365-and-admin-portals.js';
import { tokenProtectionPolicyIsEnabled } from './device-compliance/token-protection-policy-is-enabled.js';
import { tenantLicensesCoverTokenTheftControls } from './licensing/tenant-licenses-cover-token-theft-controls.js';
import { adminRolesRequirePhishingResistantMfa } from './mfa-strength/admin-roles-require-phishing-resistant-mfa.js';
import { adminsHavePhishingResistantMethodsRegistered } from './mfa-strength/admins-have-phishing-resistant-methods-registered.js';
import { usersHaveMfaRegistered } from './mfa-strength/users-have-mfa-registered.js';
import { breakGlassAccountsAreDeclaredAndExcluded } from './privileged-access/break-glass-accounts-are-declared-and-excluded.js';
import { globalAdministratorCountIsTwoToFour } from './privileged-access/global-administrator-count-is-two-to-four.js';
import { guestsHoldNoAdminRoles } from './privileged-access/guests-hold-no-admin-roles.js';
import { privilegedRolesUsePimEligibility } from './privileged-access/privileged-roles-use-pim-eligibility.js';
import { sessionRevocationOwnersAreNamed } from './session-revocation/session-revocation-owners-are-named.js';
import { syncedUsersHaveAnOnPremisesRevocationStep } from './session-revocation/synced-users-have-an-on-premises-revocation-step.js';
import { noDeviceCodeSignIns } from './sign-in-review/no-device-code-sign-ins.js';
import { signInLogsCover30Days } from './sign-in-review/sign-in-logs-cover-30-days.js';
import type { CheckDefinition } from './types.js';

/**
 * Every check tokengap runs, in report order. To add a check, import its definition here and
 * append it; test/checks/registry.test.ts checks ids and docs/checks.md lists the metadata
 * (regenerate it with `node --import tsx scripts/gen-check-docs.ts`).
 */
export const CHECKS: readonly CheckDefinition[] = [
  globalAdministratorCountIsTwoToFour,
  privilegedRolesUsePimEligibility,
  guestsHoldNoAdminRoles,
  breakGlassAccountsAreDeclaredAndExcluded,
  adminRolesRequirePhishingResistantMfa,
  adminsHavePhishingResistantMethodsRegistered,
  usersHaveMfaRegistered,
  deviceCodeFlowIsBlocked,
  authenticationTransferIsBlocked,
  mfaRequiredForAllUsers,
  legacyAuthenticationIsBlocked,
  conditionalAccessPoliciesAreEnforced,
  conditionalAccessExclusionsAreReviewed,
  securityDefaultsAndConditionalAccessDoNotConflict,
  signInLogsCover30Days,
  noDeviceCodeSignIns,
  sessionRevocationOwnersAreNamed,
  syncedUsersHaveAnOnPremisesRevocationStep,
  compliantDeviceRequiredForM365AndAdminPortals,
  tokenProtectionPolicyIsEnabled,
  incidentDecisionOwnersAreNamed,
  tenantLicensesCoverTokenTheftControls,
];
