import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { DEFAULT_SETTINGS, type DetectionId, type DetectionSettings } from './detections/types.js';
import { AUTHENTICATION_BROKER_APP_ID } from './detections/helpers.js';
import { LEGACY_CLIENT_APPS } from './detections/legacy-authentication.js';
import { TOKEN_THEFT_RISK_TYPES } from './detections/risky-sign-in.js';
import { USER_AGENT_MARKERS } from './detections/user-agent-markers.js';

/**
 * KQL versions of the detections for tenants whose logs live in Microsoft Sentinel or Log Analytics.
 * Every query starts from the same normalised union of SigninLogs (nested columns dynamic) and
 * AADNonInteractiveUserSignInLogs (nested columns as JSON strings), so each detection reads one
 * set of column names, as the file readers do.
 */

export interface KqlOptions {
  lookbackDays?: number;
  settings?: Partial<DetectionSettings>;
  /** Object ids or UPNs of break-glass accounts, for break-glass-sign-in. */
  breakGlassAccounts?: string[];
}

const quote = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const list = (values: Iterable<string>): string => `dynamic([${[...values].map(quote).join(', ')}])`;

/** Columns both tables project, with the nested values pulled out. */
function prelude(lookbackDays: number): string {
  const columns = (table: string) => `(${table}
    | where TimeGenerated > ago(${lookbackDays}d)
    | extend Location_ = todynamic(LocationDetails), Status_ = todynamic(Status), CA_ = todynamic(ConditionalAccessPolicies)
    | project Table = "${table}", TimeGenerated, CreatedDateTime, Id, UserId, UserPrincipalName = tolower(UserPrincipalName),
        AppId, AppDisplayName, ResourceIdentity, IPAddress, Asn = tostring(AutonomousSystemNumber),
        AuthenticationProtocol, OriginalTransferMethod, SessionId, ClientAppUsed, UserAgent, ResultType,
        ConditionalAccessStatus, CaPolicies = CA_, RiskLevelDuringSignIn, RiskState, RiskEventTypes_V2 = tostring(RiskEventTypes_V2),
        IsInteractive, AuthenticationRequirement, Country = tostring(Location_.countryOrRegion),
        Latitude = todouble(Location_.geoCoordinates.latitude), Longitude = todouble(Location_.geoCoordinates.longitude),
        AdditionalDetails = tostring(Status_.additionalDetails))`;
  return `let SignIns = union ${columns('SigninLogs')},
  ${columns('AADNonInteractiveUserSignInLogs')};
let Succeeded = SignIns | where ResultType == "0";
let DeviceCode = Succeeded | where AuthenticationProtocol == "deviceCode" or OriginalTransferMethod == "deviceCodeFlow";`;
}

function bodies(settings: DetectionSettings, breakGlass: string[], hostingAsns: string[]): Record<DetectionId, string> {
  const markers = USER_AGENT_MARKERS.filter((marker) => !marker.exact).map((marker) => marker.marker);
  const exactMarkers = USER_AGENT_MARKERS.filter((marker) => marker.exact).map((marker) => marker.marker);
  return {
    'device-code-sign-in': `DeviceCode
| summarize SignIns = count(), First = min(CreatedDateTime), Last = max(CreatedDateTime), IPs = make_set(IPAddress, 10), Resources = make_set(ResourceIdentity, 10) by UserPrincipalName, AppId, AppDisplayName
| order by SignIns desc`,
    'device-code-first-use': `DeviceCode
| order by UserPrincipalName asc, CreatedDateTime asc
| extend PreviousUser = prev(UserPrincipalName), PreviousTime = prev(CreatedDateTime)
| where AuthenticationProtocol == "deviceCode"
| where PreviousUser != UserPrincipalName or CreatedDateTime - PreviousTime > ${settings.deviceCodeFirstUseLookbackDays}d
| project CreatedDateTime, UserPrincipalName, AppDisplayName, IPAddress, Country, Asn`,
    'device-code-then-new-location': `let Window = ${settings.deviceCodeNewLocationMinutes}m;
Succeeded
| where AuthenticationProtocol == "deviceCode"
| project UserPrincipalName, CodeTime = CreatedDateTime, CodeIp = IPAddress, CodeCountry = Country, CodeAsn = Asn, CodeSession = SessionId
| join kind=inner (Succeeded | project UserPrincipalName, CreatedDateTime, IPAddress, Country, Asn, SessionId, AppDisplayName) on UserPrincipalName
| where (abs(CreatedDateTime - CodeTime) <= Window or (SessionId == CodeSession and isnotempty(CodeSession) and CreatedDateTime > CodeTime))
| where (isnotempty(Country) and isnotempty(CodeCountry) and Country != CodeCountry) or (isnotempty(Asn) and isnotempty(CodeAsn) and Asn != CodeAsn)
| project CodeTime, UserPrincipalName, CodeIp, CodeCountry, CodeAsn, CreatedDateTime, IPAddress, Country, Asn, AppDisplayName`,
    'device-code-broker-device-registration': `let Window = ${settings.brokerRegistrationMinutes}m;
Succeeded
| where AuthenticationProtocol == "deviceCode" and AppId == ${quote(AUTHENTICATION_BROKER_APP_ID)}
| project UserPrincipalName, CodeTime = CreatedDateTime, CodeIp = IPAddress
| join kind=inner (
    AuditLogs
    | where OperationName in ("Register device", "Add device", "Add registered owner to device")
    | extend UserPrincipalName = tolower(tostring(InitiatedBy.user.userPrincipalName)), RegistrationIp = tostring(InitiatedBy.user.ipAddress)
    | project UserPrincipalName, RegistrationTime = TimeGenerated, OperationName, RegistrationIp
  ) on UserPrincipalName
| where RegistrationTime between (CodeTime .. CodeTime + Window)`,
    'authentication-transfer': `Succeeded
| where AuthenticationProtocol == "authenticationTransfer" or OriginalTransferMethod == "authenticationTransfer"
| summarize SignIns = count(), First = min(CreatedDateTime), Last = max(CreatedDateTime) by UserPrincipalName, AppDisplayName`,
    'session-replay': `Succeeded
| where isnotempty(SessionId)
| order by UserPrincipalName asc, SessionId asc, CreatedDateTime asc
| extend PreviousUser = prev(UserPrincipalName), PreviousSession = prev(SessionId), PreviousTime = prev(CreatedDateTime),
    PreviousIp = prev(IPAddress), PreviousCountry = prev(Country), PreviousAsn = prev(Asn)
| where PreviousUser == UserPrincipalName and PreviousSession == SessionId and CreatedDateTime - PreviousTime <= ${settings.sessionWindowHours}h
| where (isnotempty(Country) and isnotempty(PreviousCountry) and Country != PreviousCountry) or (isnotempty(Asn) and isnotempty(PreviousAsn) and Asn != PreviousAsn)
| project PreviousTime, CreatedDateTime, UserPrincipalName, SessionId, PreviousIp, IPAddress, PreviousCountry, Country, PreviousAsn, Asn`,
    'impossible-travel': `let HostingAsns = ${list(hostingAsns)};
Succeeded
| where isnotempty(IPAddress) and not(Asn in (HostingAsns))
| order by UserPrincipalName asc, CreatedDateTime asc
| extend PreviousUser = prev(UserPrincipalName), PreviousTime = prev(CreatedDateTime), PreviousIp = prev(IPAddress),
    PreviousCountry = prev(Country), PreviousLatitude = prev(Latitude), PreviousLongitude = prev(Longitude)
| where PreviousUser == UserPrincipalName and PreviousIp != IPAddress
| extend Km = geo_distance_2points(PreviousLongitude, PreviousLatitude, Longitude, Latitude) / 1000.0,
    Hours = max_of(datetime_diff("second", CreatedDateTime, PreviousTime), 1) / 3600.0
| where (isnotnull(Km) and Km >= ${settings.impossibleTravelMinKm} and Km / Hours > ${settings.impossibleTravelKmh})
    or (isnull(Km) and isnotempty(Country) and isnotempty(PreviousCountry) and Country != PreviousCountry and Hours * 60 <= ${settings.countryChangeMinutes})
| project PreviousTime, CreatedDateTime, UserPrincipalName, PreviousIp, IPAddress, PreviousCountry, Country, Km, Hours`,
    'suspicious-user-agent': `SignIns
| where UserAgent has_any (${list(markers)}) or UserAgent in (${list(exactMarkers)})
| summarize Attempts = count(), Successes = countif(ResultType == "0"), IPs = make_set(IPAddress, 10) by UserPrincipalName, UserAgent`,
    'legacy-authentication': `Succeeded
| where tolower(ClientAppUsed) in (${list(LEGACY_CLIENT_APPS)})
| summarize SignIns = count(), IPs = make_set(IPAddress, 10), First = min(CreatedDateTime), Last = max(CreatedDateTime) by UserPrincipalName, ClientAppUsed, AppDisplayName`,
    'ropc-sign-in': `Succeeded
| where AuthenticationProtocol == "ropc"
| summarize SignIns = count(), SingleFactor = countif(AuthenticationRequirement == "singleFactorAuthentication") by UserPrincipalName, AppDisplayName`,
    'risky-sign-in': `Succeeded
| where RiskState !in ("dismissed", "remediated", "confirmedSafe")
| where RiskLevelDuringSignIn in ("medium", "high") or RiskState in ("atRisk", "confirmedCompromised")
    or RiskEventTypes_V2 has_any (${list(TOKEN_THEFT_RISK_TYPES)})
| project CreatedDateTime, UserPrincipalName, AppDisplayName, IPAddress, Country, RiskLevelDuringSignIn, RiskState, RiskEventTypes_V2`,
    'hosting-network': `let HostingAsns = ${list(hostingAsns)};
Succeeded
| where Asn in (HostingAsns)
| summarize SignIns = count(), NonInteractive = countif(IsInteractive == false), IPs = make_set(IPAddress, 10) by UserPrincipalName, Asn`,
    'break-glass-sign-in': `let BreakGlass = ${list(breakGlass.map((account) => account.toLowerCase()))};
SignIns
| where UserPrincipalName in (BreakGlass) or tolower(UserId) in (BreakGlass)
| project CreatedDateTime, UserPrincipalName, AppDisplayName, IPAddress, Country, ResultType`,
    'device-code-blocked': `SignIns
| where AuthenticationProtocol == "deviceCode" or OriginalTransferMethod == "deviceCodeFlow"
| where ResultType == "53003" or (ConditionalAccessStatus == "failure" and tostring(CaPolicies) has "\\"result\\":\\"failure\\"")
| summarize Attempts = count(), First = min(CreatedDateTime), Last = max(CreatedDateTime) by UserPrincipalName, AppDisplayName`,
  };
}

function hostingAsnList(): string[] {
  const path = fileURLToPath(new URL('../../data/signins/hosting-asns.json', import.meta.url));
  const data = JSON.parse(readFileSync(path, 'utf8')) as { asns: { asn: number }[] };
  return data.asns.map((entry) => String(entry.asn));
}

/** Builds one runnable KQL query per detection. */
export function kqlQueries(options: KqlOptions = {}): Record<DetectionId, string> {
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const head = prelude(options.lookbackDays ?? 30);
  const result = {} as Record<DetectionId, string>;
  for (const [id, body] of Object.entries(bodies(settings, options.breakGlassAccounts ?? [], hostingAsnList()))) {
    result[id as DetectionId] = `// tokengap detection: ${id}\n${head}\n${body}\n`;
  }
  return result;
}
