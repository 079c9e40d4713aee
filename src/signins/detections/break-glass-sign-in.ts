import { makeAlert } from './helpers.js';
import type { Detection } from './types.js';

export const breakGlassSignIn: Detection = {
  id: 'break-glass-sign-in',
  title: 'Emergency-access account signed in',
  severity: 'critical',
  description:
    'Any sign-in, successful or not, by an account the engagement file declares as break-glass. Microsoft advises alerting on every use of these accounts and reviewing each one.',
  fields: ['userId', 'userPrincipalName'],
  falsePositives: 'Planned drills, which should be announced beforehand.',
  sources: ['https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access'],
  detect(activity, context) {
    const declared = [activity.userId, activity.user].some((key) => key && context.breakGlass.has(key.toLowerCase()));
    if (!declared) return [];
    return activity.signIns.map((event) =>
      makeAlert('break-glass-sign-in', 'critical', activity, [event], `declared break-glass account signed in to ${event.appDisplayName ?? event.appId ?? 'an unnamed app'} (result ${event.status?.errorCode ?? 'unknown'})`),
    );
  },
};
