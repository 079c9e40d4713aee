import type { ResourceStatus } from '../snapshot/resources.js';
import type { GraphRequestError } from '../graph/errors.js';

/** Graph's error code on sign-in logs and signInActivity when the tenant has no Entra ID P1 or P2. */
export const NO_PREMIUM_CODE = 'Authentication_RequestFromNonPremiumTenantOrB2CTenant';

/**
 * Turns a failed read into the manifest status: unlicensed (named licence), forbidden (named
 * permission) or failed (status, code and request id), so a check never mistakes a refused
 * read for an empty list.
 */
export function classifyFailure(error: GraphRequestError, permission: string, license: string | undefined): ResourceStatus {
  const detail = {
    error: {
      ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
      ...(error.code !== undefined ? { code: error.code } : {}),
      message: error.message,
    },
    ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
  };
  if (error.code === NO_PREMIUM_CODE) return { status: 'unlicensed', license: 'Entra ID P1', ...detail };
  // Intune endpoints on a tenant without Intune return 400 "Request not applicable to target tenant."
  if (error.httpStatus === 400 && /not applicable to target tenant/i.test(error.message)) {
    return { status: 'unlicensed', license: license ?? 'Microsoft Intune', ...detail };
  }
  if (error.httpStatus === 403 && /licen[cs]e|premium/i.test(error.message)) {
    return { status: 'unlicensed', license: license ?? 'a licence Graph did not name', ...detail };
  }
  if (error.httpStatus === 403) return { status: 'forbidden', permission, ...detail };
  return { status: 'failed', ...detail };
}
