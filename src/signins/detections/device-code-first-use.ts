import { isDeviceCode, makeAlert, succeeded, timeMs } from './helpers.js';
import type { Alert, Detection } from './types.js';
import { plural } from '../../report/text.js';

const DAY_MS = 86_400_000;

/** A user's first device-code sign-in after a quiet period, as in Elastic's first-time-seen rule. */
export const deviceCodeFirstUse: Detection = {
  id: 'device-code-first-use',
  title: "User's first device-code sign-in",
  severity: 'high',
  description:
    'A user completed a device-code sign-in and had none in the lookback before it (default 14 days). ' +
    'Only the loaded log is the history: when the log starts less than the lookback before the sign-in, the reason says so.',
  fields: ['authenticationProtocol', 'originalTransferMethod', 'status'],
  falsePositives: 'Users newly set up with a CLI tool or a meeting-room device.',
  sources: ['elastic/detection-rules rules/integrations/azure/credential_access_entra_id_first_time_seen_device_code_auth.toml'],
  detect(activity, context) {
    const lookbackMs = context.settings.deviceCodeFirstUseLookbackDays * DAY_MS;
    const logStart = activity.signIns.length > 0 ? timeMs(activity.signIns[0]!) : 0;
    const alerts: Alert[] = [];
    let previous: number | null = null;
    for (const event of activity.signIns) {
      if (!succeeded(event) || event.authenticationProtocol !== 'deviceCode') {
        if (isDeviceCode(event) && succeeded(event)) previous = timeMs(event);
        continue;
      }
      const time = timeMs(event);
      if (previous === null || time - previous > lookbackMs) {
        const historyDays = Math.floor((time - logStart) / DAY_MS);
        alerts.push(
          makeAlert(
            'device-code-first-use',
            'high',
            activity,
            [event],
            previous === null
              ? `first device-code sign-in of this user in the log` +
                  (historyDays < context.settings.deviceCodeFirstUseLookbackDays ? ` (only ${plural(historyDays, 'day')} of this user's history precede it)` : '')
              : `first device-code sign-in in ${Math.floor((time - previous) / DAY_MS)} days`,
          ),
        );
      }
      previous = time;
    }
    return alerts;
  },
};
