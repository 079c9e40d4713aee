import { legacyAuthenticationIsBlocked } from './conditional-access/legacy-authentication-is-blocked.js';
import { mfaRequiredForAllUsers } from './conditional-access/mfa-required-for-all-users.js';
import { compliantDeviceRequiredForM365AndAdminPortals } from './device-compliance/compliant-device-required-for-m365-and-admin-portals.js';
import { authenticationTransferIsBlocked } from './device-code-flow/authentication-transfer-is-blocked.js';
import { deviceCodeFlowIsBlocked } from './device-code-flow/device-code-flow-is-blocked.js';
import { adminRolesRequirePhishingResistantMfa } from './mfa-strength/admin-roles-require-phishing-resistant-mfa.js';
import { breakGlassAccountsAreDeclaredAndExcluded } from './privileged-access/break-glass-accounts-are-declared-and-excluded.js';
import { globalAdministratorCountIsTwoToFour } from './privileged-access/global-administrator-count-is-two-to-four.js';
import { guestsHoldNoAdminRoles } from './privileged-access/guests-hold-no-admin-roles.js';
import { privilegedRolesUsePimEligibility } from './privileged-access/privileged-roles-use-pim-eligibility.js';
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
  deviceCodeFlowIsBlocked,
  authenticationTransferIsBlocked,
  mfaRequiredForAllUsers,
  legacyAuthenticationIsBlocked,
  compliantDeviceRequiredForM365AndAdminPortals,
  signInLogsCover30Days,
  noDeviceCodeSignIns,
];
