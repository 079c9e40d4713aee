import type { Severity } from '../../checks/types.js';
import { makeAlert, succeeded } from './helpers.js';
import type { Alert, Detection } from './types.js';

/** Entra ID Protection risk event types that point at token theft or an adversary in the middle. */
export const TOKEN_THEFT_RISK_TYPES = new Set(['anomalousToken', 'attackerinTheMiddle', 'tokenIssuerAnomaly', 'suspiciousBrowser', 'attemptedPrtAccess', 'nationStateIP']);

const CLOSED_RISK_STATES = new Set(['dismissed', 'remediated', 'confirmedSafe']);

export const riskySignIn: Detection = {
  id: 'risky-sign-in',
  title: 'Risky sign-in succeeded',
  severity: 'high',
  description:
    'A successful sign-in had medium or high sign-in risk, a risk state of atRisk or confirmedCompromised, or a token-theft risk event type ' +
    '(anomalousToken, attackerinTheMiddle, tokenIssuerAnomaly, suspiciousBrowser, attemptedPrtAccess, nationStateIP). Risks already dismissed, remediated or confirmed safe do not alert. Without Entra ID P2 the levels read `hidden`.',
  fields: ['riskLevelDuringSignIn', 'riskState', 'riskEventTypes_v2', 'status'],
  falsePositives: 'anomalousToken at low and medium levels is noisy; unfamiliarFeatures after a change of device or location.',
  sources: ['https://learn.microsoft.com/entra/id-protection/concept-identity-protection-risks'],
  detect(activity) {
    const alerts: Alert[] = [];
    for (const event of activity.signIns) {
      if (!succeeded(event)) continue;
      // An administrator or a remediation closed the risk; alerting again would repeat a decided case.
      if (CLOSED_RISK_STATES.has(event.riskState ?? '')) continue;
      const level = (event.riskLevelDuringSignIn ?? '').toLowerCase();
      const state = event.riskState ?? '';
      const tokenTypes = (event.riskEventTypes_v2 ?? []).filter((type) => TOKEN_THEFT_RISK_TYPES.has(type));
      const risky = level === 'medium' || level === 'high' || state === 'atRisk' || state === 'confirmedCompromised' || tokenTypes.length > 0;
      if (!risky) continue;
      const severity: Severity = level === 'high' || state === 'confirmedCompromised' || tokenTypes.length > 0 ? 'high' : 'medium';
      const parts = [level && level !== 'none' ? `risk level ${level}` : '', state && state !== 'none' ? `risk state ${state}` : '', (event.riskEventTypes_v2 ?? []).length > 0 ? `risk types ${event.riskEventTypes_v2!.join(', ')}` : ''].filter(Boolean);
      alerts.push(makeAlert('risky-sign-in', severity, activity, [event], `successful sign-in with ${parts.join(', ')}`));
    }
    return alerts;
  },
};
