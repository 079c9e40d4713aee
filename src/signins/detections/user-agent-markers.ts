import type { Severity } from '../../checks/types.js';

/** A user-agent substring that marks scripted or attack tooling, with the public source that names it. */
export interface UserAgentMarker {
  marker: string;
  /** Matched case-insensitively as a substring, or as a whole user agent when `exact`. */
  exact?: boolean;
  severity: Severity;
  context: string;
  source: string;
}

export const USER_AGENT_MARKERS: UserAgentMarker[] = [
  {
    marker: 'axios',
    severity: 'high',
    context: 'Node.js HTTP client used by credential harvesters and AiTM back ends to relay or replay credentials (Salty 2FA kits)',
    source: 'SigmaHQ rules-threat-hunting/cloud/azure/signin_logs/azure_ad_signin_axios_user_agent.yml',
  },
  { marker: 'BAV2ROPC', severity: 'high', context: 'legacy ROPC client string seen in password spray followed by MFA bypass', source: 'SigmaHQ rules/cloud/azure/signin_logs/azure_ad_suspicious_signin_bypassing_mfa.yml' },
  { marker: 'CBAinPROD', severity: 'high', context: 'legacy client authentication string', source: 'SigmaHQ rules/cloud/azure/signin_logs/azure_ad_suspicious_signin_bypassing_mfa.yml' },
  { marker: 'CBAinTAR', severity: 'high', context: 'legacy client authentication string', source: 'SigmaHQ rules/cloud/azure/signin_logs/azure_ad_suspicious_signin_bypassing_mfa.yml' },
  { marker: 'fasthttp', severity: 'high', context: 'Go HTTP library used for high-speed brute force and MFA fatigue (January 2025)', source: 'SpearTip bulletin, summarised at https://cybercc.org/microsoft-accounts-compromised/' },
  {
    marker: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Teams/1.3.00.30866 Chrome/80.0.3987.165 Electron/8.5.1 Safari/537.36',
    exact: true,
    severity: 'high',
    context: 'hard-coded user agent of the TeamFiltration enumeration and password-spray tool',
    source: 'elastic/detection-rules rules/integrations/azure/credential_access_entra_id_teamfiltration_user_agents_detected.toml',
  },
  { marker: 'python-requests', severity: 'medium', context: 'Python HTTP library default user agent', source: 'https://www.huntress.com/blog/threat-hunting-for-business-email-compromise-through-user-agents' },
  { marker: 'python', severity: 'medium', context: 'Python tooling', source: 'https://www.huntress.com/blog/threat-hunting-for-business-email-compromise-through-user-agents' },
  { marker: 'curl/', severity: 'medium', context: 'command-line HTTP client default user agent', source: 'https://www.huntress.com/blog/threat-hunting-for-business-email-compromise-through-user-agents' },
  // NOTE: no source read names the following for Entra sign-ins; they are low-severity hunting markers only.
  { marker: 'node-fetch', severity: 'low', context: 'Node.js HTTP library (unconfirmed hunting marker)', source: 'commonly suggested; not confirmed for Entra sign-ins' },
  { marker: 'Go-http-client', severity: 'low', context: 'Go standard HTTP client (unconfirmed hunting marker)', source: 'commonly suggested; not confirmed for Entra sign-ins' },
  { marker: 'okhttp', severity: 'low', context: 'Java/Android HTTP library (unconfirmed hunting marker)', source: 'commonly suggested; not confirmed for Entra sign-ins' },
  { marker: 'HeadlessChrome', severity: 'low', context: 'headless browser automation (unconfirmed hunting marker)', source: 'commonly suggested; not confirmed for Entra sign-ins' },
  { marker: 'PhantomJS', severity: 'low', context: 'headless browser automation (unconfirmed hunting marker)', source: 'commonly suggested; not confirmed for Entra sign-ins' },
  { marker: 'Go-resty', severity: 'low', context: 'Go HTTP library (unconfirmed hunting marker)', source: 'commonly suggested; not confirmed for Entra sign-ins' },
];

const matches = new Map<string, UserAgentMarker | null>();

/** Returns the first marker that matches, most specific first (the list order); results are cached per user agent. */
export function matchUserAgent(userAgent: string | null | undefined): UserAgentMarker | null {
  if (!userAgent) return null;
  const cached = matches.get(userAgent);
  if (cached !== undefined) return cached;
  const lower = userAgent.toLowerCase();
  let found: UserAgentMarker | null = null;
  for (const marker of USER_AGENT_MARKERS) {
    if (marker.exact ? userAgent === marker.marker : lower.includes(marker.marker.toLowerCase())) {
      found = marker;
      break;
    }
  }
  // A log has few distinct user agents; the bound only guards against a log where every one differs.
  if (matches.size > 10_000) matches.clear();
  matches.set(userAgent, found);
  return found;
}
