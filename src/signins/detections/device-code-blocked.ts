import type { SignInEvent } from '../event.js';
import { groupBy, makeAlert } from './helpers.js';
import type { Detection } from './types.js';
import { plural } from '../../report/text.js';

/** AADSTS53003 BlockedByConditionalAccess. */
const BLOCKED_BY_CONDITIONAL_ACCESS = 53003;

function blockedByPolicy(event: SignInEvent): boolean {
  if (event.status?.errorCode === BLOCKED_BY_CONDITIONAL_ACCESS) return true;
  return event.conditionalAccessStatus === 'failure' && (event.appliedConditionalAccessPolicies ?? []).some((policy) => policy.result === 'failure');
}

export const deviceCodeBlocked: Detection = {
  id: 'device-code-blocked',
  title: 'Device-code attempts blocked by Conditional Access',
  severity: 'info',
  description:
    'Device-code sign-ins that Conditional Access blocked (error 53003, or a failed policy). This is evidence that a block works and a measure of phishing pressure. ' +
    'A blocked request whose own protocol is not device code but whose session began with it is expected protocol tracking.',
  fields: ['authenticationProtocol', 'originalTransferMethod', 'conditionalAccessStatus', 'appliedConditionalAccessPolicies', 'status'],
  falsePositives: 'None: this is posture telemetry.',
  sources: ['https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows', 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes'],
  detect(activity) {
    const events = activity.signIns.filter(
      (event) => (event.authenticationProtocol === 'deviceCode' || event.originalTransferMethod === 'deviceCodeFlow') && blockedByPolicy(event),
    );
    return [...groupBy(events, (event) => event.appId ?? '').values()].map((group) => {
      const tracked = group.filter((event) => event.authenticationProtocol !== 'deviceCode').length;
      const policies = [...new Set(group.flatMap((event) => (event.appliedConditionalAccessPolicies ?? []).filter((policy) => policy.result === 'failure').map((policy) => policy.displayName ?? policy.id ?? '')))].filter(Boolean);
      return makeAlert(
        'device-code-blocked',
        'info',
        activity,
        group,
        `${plural(group.length, 'device-code attempt')} to ${group[0]!.appDisplayName ?? group[0]!.appId ?? 'an unnamed app'} blocked by Conditional Access` +
          (policies.length > 0 ? ` (${policies.join(', ')})` : '') +
          (tracked > 0 ? `; ${tracked} were later requests of a device-code session (protocol tracking)` : ''),
      );
    });
  },
};
