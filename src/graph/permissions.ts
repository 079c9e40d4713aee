import type { ResourceName } from '../snapshot/resources.js';
import { GROUP_MEMBERS_PERMISSION, RESOURCE_ENDPOINTS, SIGN_INS } from './endpoints.js';

export interface PermissionNeed {
  permission: string;
  /** Reads or actions the permission allows, each with the licence it also needs. */
  usedFor: string[];
}

/** Least-privileged application permissions `collect` needs for the resources given (all by default). */
export function collectPermissions(resources?: readonly ResourceName[]): PermissionNeed[] {
  const wanted = resources ? new Set(resources) : undefined;
  const needs = new Map<string, PermissionNeed>();
  // A licence belongs to one read, not to the permission, so it is named beside that read.
  const add = (permission: string, usedFor: string, license?: string): void => {
    const need = needs.get(permission) ?? { permission, usedFor: [] };
    need.usedFor.push(license ? `${usedFor} [needs ${license}]` : usedFor);
    needs.set(permission, need);
  };
  for (const endpoint of RESOURCE_ENDPOINTS) {
    if (wanted && !wanted.has(endpoint.resource)) continue;
    add(endpoint.permission, `${endpoint.resource} (GET ${endpoint.path})`, endpoint.license);
  }
  if (!wanted || wanted.has('users')) add('AuditLog.Read.All', 'users.signInActivity (last sign-in per user)', 'Entra ID P1');
  if (!wanted || wanted.has('groupMembers')) add(GROUP_MEMBERS_PERMISSION, 'groupMembers (GET /groups/{id}/members)');
  if (!wanted || wanted.has('signIns')) add(SIGN_INS.permission, `signIns (GET beta ${SIGN_INS.path})`, SIGN_INS.license);
  return [...needs.values()].sort((a, b) => a.permission.localeCompare(b.permission));
}

/**
 * Write permissions the incident response command will need. They belong in a separate app
 * registration, so the read-only app used for collect can never change a tenant.
 */
export const RESPOND_PERMISSIONS: readonly PermissionNeed[] = [
  { permission: 'User.RevokeSessions.All', usedFor: ['revoke refresh tokens and session cookies (POST /users/{id}/revokeSignInSessions)'] },
  { permission: 'User.EnableDisableAccount.All', usedFor: ['disable the account (PATCH /users/{id} accountEnabled=false)'] },
  { permission: 'User.Read.All', usedFor: ['read the user before acting, and the registered devices'] },
  { permission: 'Device.ReadWrite.All', usedFor: ["disable the user's devices (PATCH /devices/{id} accountEnabled=false)"] },
  { permission: 'IdentityRiskyUser.ReadWrite.All', usedFor: ['confirm the user compromised (POST /identityProtection/riskyUsers/confirmCompromised) [needs Entra ID P2]'] },
];
