import { groupBy, isDeviceCode, MAIL_AND_FILES_RESOURCES, makeAlert, succeeded } from './helpers.js';
import type { Detection } from './types.js';
import { plural } from '../../report/text.js';

/** Every successful device-code sign-in, one alert per user and app. */
export const deviceCodeSignIn: Detection = {
  id: 'device-code-sign-in',
  title: 'Device code sign-in',
  severity: 'medium',
  description:
    'A successful sign-in used the device code grant, or belongs to a session that began with it (originalTransferMethod deviceCodeFlow). ' +
    'Severity is high when the token was for Exchange Online, SharePoint Online or Microsoft Graph.',
  fields: ['authenticationProtocol', 'originalTransferMethod', 'status', 'appId', 'resourceId'],
  falsePositives: 'Teams Rooms, Surface Hub and other input-constrained devices; Azure CLI, Azure PowerShell and VS Code on machines without a browser; CI agents.',
  sources: [
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows',
    'https://www.microsoft.com/en-us/security/blog/2025/02/13/storm-2372-conducts-device-code-phishing-campaign/',
    'SigmaHQ rules/cloud/azure/signin_logs/azure_app_device_code_authentication.yml',
  ],
  detect(activity) {
    const events = activity.signIns.filter((event) => succeeded(event) && isDeviceCode(event));
    return [...groupBy(events, (event) => event.appId ?? event.appDisplayName ?? '').values()].map((group) => {
      const mailOrFiles = group.some((event) => MAIL_AND_FILES_RESOURCES.has(event.resourceId ?? ''));
      const app = group[0]!.appDisplayName ?? group[0]!.appId ?? 'an unnamed app';
      const tracked = group.filter((event) => event.authenticationProtocol !== 'deviceCode').length;
      return makeAlert(
        'device-code-sign-in',
        mailOrFiles ? 'high' : 'medium',
        activity,
        group,
        `${plural(group.length, 'successful device-code sign-in')} to ${app}` +
          (tracked > 0 ? `, ${tracked} of them refreshes of a session that began with device code` : '') +
          (mailOrFiles ? '; tokens were issued for mail, files or Microsoft Graph' : ''),
      );
    });
  },
};
