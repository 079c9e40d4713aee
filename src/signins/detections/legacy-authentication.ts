import { groupBy, makeAlert, succeeded } from './helpers.js';
import type { Detection } from './types.js';

/** `clientAppUsed` values of legacy protocols, which Conditional Access cannot challenge for MFA. */
export const LEGACY_CLIENT_APPS = new Set(
  [
    'Authenticated SMTP',
    'AutoDiscover',
    'Exchange ActiveSync',
    'Exchange Online PowerShell',
    'Exchange Web Services',
    'IMAP4',
    'IMAP',
    'MAPI Over HTTP',
    'MAPI',
    'Outlook Anywhere (RPC over HTTP)',
    'Outlook Service',
    'POP3',
    'POP',
    'SMTP',
    'Reporting Web Services',
    'Other clients',
  ].map((name) => name.toLowerCase()),
);

export const legacyAuthentication: Detection = {
  id: 'legacy-authentication',
  title: 'Successful legacy authentication',
  severity: 'medium',
  description: 'A successful sign-in used a legacy protocol (IMAP, POP, SMTP AUTH, Exchange ActiveSync with basic auth, other clients). One alert per user, client and app; the evidence lists the IPs.',
  fields: ['clientAppUsed', 'status'],
  falsePositives: 'Exception groups allowed legacy protocols; printers and scanners sending mail over SMTP.',
  sources: ['Azure/Azure-Sentinel Hunting Queries/SigninLogs/LegacyAuthAttempt.yaml', 'SigmaHQ rules/cloud/azure/signin_logs/azure_legacy_authentication_protocols.yml'],
  detect(activity) {
    const events = activity.signIns.filter((event) => succeeded(event) && LEGACY_CLIENT_APPS.has((event.clientAppUsed ?? '').toLowerCase()));
    return [...groupBy(events, (event) => `${event.clientAppUsed}|${event.appId ?? ''}`).values()].map((group) =>
      makeAlert(
        'legacy-authentication',
        'medium',
        activity,
        group,
        `${group.length} successful sign-in(s) over ${group[0]!.clientAppUsed} to ${group[0]!.appDisplayName ?? group[0]!.appId ?? 'an unnamed app'}; legacy protocols bypass MFA`,
      ),
    );
  },
};
