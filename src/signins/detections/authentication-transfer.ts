import { groupBy, makeAlert, succeeded } from './helpers.js';
import type { Detection } from './types.js';
import { plural } from '../../report/text.js';

export const authenticationTransfer: Detection = {
  id: 'authentication-transfer',
  title: 'Authentication transfer used',
  severity: 'medium',
  description:
    'A successful sign-in used authentication transfer (the QR-code hand-off of a signed-in state from a PC to a phone), or refreshed a session that began with it. ' +
    'Graph returns the value only to requests that send `Prefer: include-unknown-enum-members`; otherwise it shows as unknownFutureValue.',
  fields: ['authenticationProtocol', 'originalTransferMethod', 'status'],
  falsePositives: 'Outlook desktop to mobile onboarding where the tenant allows it.',
  sources: [
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows',
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows',
  ],
  detect(activity) {
    const events = activity.signIns.filter(
      (event) => succeeded(event) && (event.authenticationProtocol === 'authenticationTransfer' || event.originalTransferMethod === 'authenticationTransfer'),
    );
    return [...groupBy(events, (event) => event.appId ?? '').values()].map((group) =>
      makeAlert('authentication-transfer', 'medium', activity, group, `${plural(group.length, 'sign-in')} to ${group[0]!.appDisplayName ?? group[0]!.appId ?? 'an unnamed app'} used authentication transfer`),
    );
  },
};
