import { asnOf, groupBy, makeAlert, succeeded } from './helpers.js';
import type { Detection } from './types.js';
import { plural } from '../../report/text.js';

export const hostingNetwork: Detection = {
  id: 'hosting-network',
  title: 'Sign-in from a hosting or VPS network',
  severity: 'medium',
  description:
    "A successful sign-in came from an autonomous system on the hosting-provider list (data/signins/hosting-asns.json) or whose registered name marks a hosting company. " +
    'Severity is high when the sign-in was non-interactive or satisfied MFA by a claim in the token, the pattern of token replay.',
  fields: ['ipAddress', 'autonomousSystemNumber', 'isInteractive', 'status'],
  falsePositives: 'Cloud PCs and Azure Virtual Desktop (Microsoft ASN 8075); corporate proxies hosted in clouds; commercial VPNs.',
  sources: ['Azure/Azure-Sentinel Hunting Queries/SigninLogs/Signins-From-VPS-Providers.yaml', 'https://www.microsoft.com/en-us/security/blog/2026/04/06/ai-enabled-device-code-phishing-campaign-april-2026/'],
  detect(activity) {
    const events = activity.signIns.filter((event) => succeeded(event) && event.network?.hosting);
    return [...groupBy(events, (event) => String(asnOf(event))).values()].map((group) => {
      const replayLike = group.some((event) => event.isInteractive === false || /claim in the token/i.test(event.status?.additionalDetails ?? ''));
      const first = group[0]!;
      return makeAlert(
        'hosting-network',
        replayLike ? 'high' : 'medium',
        activity,
        group,
        `${plural(group.length, 'successful sign-in')} from AS${asnOf(first)}${first.network?.asnName ? ` (${first.network.asnName})` : ''}, a hosting network` +
          (replayLike ? '; some were non-interactive or satisfied MFA by a token claim' : ''),
      );
    });
  },
};
