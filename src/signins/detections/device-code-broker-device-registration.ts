import { AUTHENTICATION_BROKER_APP_ID, makeAlert, succeeded, timeMs } from './helpers.js';
import type { Alert, Detection } from './types.js';
import { plural } from '../../report/text.js';

/**
 * Storm-2372's variant from February 2025: device code through the Microsoft Authentication Broker,
 * whose refresh token can register an attacker device and then obtain a Primary Refresh Token.
 */
export const deviceCodeBrokerDeviceRegistration: Detection = {
  id: 'device-code-broker-device-registration',
  title: 'Device code through the Authentication Broker followed by device registration',
  severity: 'critical',
  description:
    'A successful device-code sign-in with the Microsoft Authentication Broker client was followed within the window (default 60 minutes) ' +
    'by a device registration for the same user in the directory audit log.',
  fields: ['authenticationProtocol', 'appId', 'status'],
  falsePositives: 'Device onboarding that uses the broker, which normally runs an interactive browser flow rather than device code.',
  sources: [
    'https://www.microsoft.com/en-us/security/blog/2025/02/13/storm-2372-conducts-device-code-phishing-campaign/',
    'elastic/detection-rules rules/integrations/azure/credential_access_entra_id_device_code_auth_with_broker_client.toml',
  ],
  detect(activity, context) {
    const windowMs = context.settings.brokerRegistrationMinutes * 60_000;
    const registrations = activity.audits.filter((audit) => audit.kind === 'deviceRegistration');
    if (registrations.length === 0) return [];
    const alerts: Alert[] = [];
    for (const event of activity.signIns) {
      if (event.authenticationProtocol !== 'deviceCode' || event.appId !== AUTHENTICATION_BROKER_APP_ID || !succeeded(event)) continue;
      const time = timeMs(event);
      const following = registrations.filter((audit) => {
        const delta = Date.parse(audit.activityDateTime) - time;
        return delta >= 0 && delta <= windowMs;
      });
      if (following.length === 0) continue;
      const alert = makeAlert(
        'device-code-broker-device-registration',
        'critical',
        activity,
        [event],
        `device-code sign-in through the Microsoft Authentication Broker, then "${following[0]!.activityDisplayName}" ` +
          `${plural(Math.round((Date.parse(following[0]!.activityDateTime) - time) / 60_000), 'minute')} later` +
          (following[0]!.initiatedBy?.ipAddress ? ` from ${following[0]!.initiatedBy.ipAddress}` : ''),
      );
      alert.audits = following.map((audit) => ({
        id: audit.id,
        time: audit.activityDateTime,
        activity: audit.activityDisplayName,
        initiatedFromIp: audit.initiatedBy?.ipAddress ?? null,
      }));
      alerts.push(alert);
    }
    return alerts;
  },
};
