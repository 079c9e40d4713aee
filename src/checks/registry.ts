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
  signInLogsCover30Days,
  noDeviceCodeSignIns,
];
