import { groupBy, makeAlert, succeeded } from './helpers.js';
import type { Detection } from './types.js';
import { plural } from '../../report/text.js';

export const ropcSignIn: Detection = {
  id: 'ropc-sign-in',
  title: 'Resource owner password credentials (ROPC) sign-in',
  severity: 'medium',
  description:
    "A sign-in used the ROPC grant, where the app receives the user's password and sends it straight to the token endpoint. " +
    'Severity is high when it succeeded with single-factor authentication.',
  fields: ['authenticationProtocol', 'authenticationRequirement', 'status'],
  falsePositives: 'Automated tests and legacy apps that cannot use modern flows.',
  sources: ['SigmaHQ rules/cloud/azure/signin_logs/azure_app_ropc_authentication.yml'],
  detect(activity) {
    const events = activity.signIns.filter((event) => event.authenticationProtocol === 'ropc' && succeeded(event));
    return [...groupBy(events, (event) => event.appId ?? '').values()].map((group) => {
      const singleFactor = group.some((event) => event.authenticationRequirement === 'singleFactorAuthentication');
      return makeAlert(
        'ropc-sign-in',
        singleFactor ? 'high' : 'medium',
        activity,
        group,
        `${plural(group.length, 'successful ROPC sign-in')} to ${group[0]!.appDisplayName ?? group[0]!.appId ?? 'an unnamed app'}${singleFactor ? ' with single-factor authentication' : ''}`,
      );
    });
  },
};
