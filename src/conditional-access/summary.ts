import { GAP_KINDS, GAP_TITLES, type CoverageGap, type CoverageReport, type GapKind } from './coverage.js';

/** One gap as a table row: strings and numbers only, ready for HTML, Markdown and JSON. */
export interface CoverageRow {
  kind: GapKind;
  title: string;
  key: string;
  exampleUser: string;
  classSize: number;
  apps: string[];
  clientAppType: string;
  platform: string;
  locations: string[];
  flow: string;
  device: string;
  /** "Policy name (state): reason, reason" for each policy that would have closed the gap. */
  whyNotCovered: string[];
  reportOnlyWouldClose: string[];
  breakGlass: 'declared' | 'suspected' | null;
  uncertain: string[];
}

export interface CoverageKindSummary {
  kind: GapKind;
  title: string;
  gaps: number;
  /** Users in the classes with at least one gap of this kind, including gaps left out by the limit. */
  affectedUsers: number;
  breakGlassGaps: number;
  truncated: number;
}

/** The `coverage` section of report.json: plain data for the report renderers. */
export interface CoverageSummary {
  usersAnalysed: number;
  userClasses: number;
  policiesAnalysed: number;
  kinds: CoverageKindSummary[];
  rows: CoverageRow[];
  breakGlassRows: CoverageRow[];
  limitations: string[];
  appGroupTablesAsOf: Record<string, string>;
}

export const REASON_TEXT: Readonly<Record<string, string>> = {
  users: 'the user is not included or is excluded',
  application: 'the app is not included or is excluded',
  userActions: 'the policy targets a user action',
  authenticationContext: 'the policy targets an authentication context',
  clientApps: 'the client app type is not selected',
  devicePlatform: 'the platform is not selected or is excluded',
  location: 'the location is not included or is excluded',
  devices: 'the device filter leaves this device out',
  signInRisk: 'the policy applies only at some sign-in risk levels',
  userRisk: 'the policy applies only at some user risk levels',
  insiderRisk: 'the policy applies only at some insider risk levels',
  authenticationFlow: 'the policy applies only to some authentication flows',
  policyNotEnabled: 'the policy is disabled',
  invalidCondition: 'a condition cannot be evaluated',
  workloadIdentities: 'the policy targets workload identities',
};

function userLabel(gap: CoverageGap): string {
  const user = gap.example.user;
  return user.userPrincipalName ?? user.displayName ?? user.id;
}

export function coverageRow(gap: CoverageGap): CoverageRow {
  return {
    kind: gap.kind,
    title: GAP_TITLES[gap.kind],
    key: gap.key,
    exampleUser: userLabel(gap),
    classSize: gap.classSize,
    apps: gap.apps.map((app) => app.displayName),
    clientAppType: [gap.example.clientAppType, ...gap.equivalentClientAppTypes].join(', '),
    platform: [gap.example.platform, ...gap.equivalentPlatforms].join(', '),
    locations: gap.locations.map((location) => location.description),
    flow: gap.example.flow ?? 'none',
    device: [gap.example.device.description, ...gap.equivalentDevices].join(', '),
    whyNotCovered: gap.candidates.map((candidate) =>
      candidate.applies
        ? `${candidate.displayName} (${candidate.state}): applies but is not enforced`
        : `${candidate.displayName} (${candidate.state}): ${candidate.reasons.map((reason) => REASON_TEXT[reason] ?? reason).join('; ')}`,
    ),
    reportOnlyWouldClose: gap.reportOnlyWouldClose.map((policy) => policy.displayName),
    breakGlass: gap.breakGlass,
    uncertain: gap.uncertain.map((entry) => entry.detail),
  };
}

export function summarizeCoverage(report: CoverageReport): CoverageSummary {
  const kinds = GAP_KINDS.map((kind): CoverageKindSummary => {
    const ofKind = report.gaps.filter((gap) => gap.kind === kind);
    return {
      kind,
      title: GAP_TITLES[kind],
      gaps: ofKind.length,
      affectedUsers: report.affected[kind].users,
      breakGlassGaps: report.breakGlassGaps.filter((gap) => gap.kind === kind).length,
      truncated: report.truncated[kind] ?? 0,
    };
  });
  return {
    usersAnalysed: report.usersAnalysed,
    userClasses: report.userClasses,
    policiesAnalysed: report.policiesAnalysed,
    kinds,
    rows: report.gaps.map(coverageRow),
    breakGlassRows: report.breakGlassGaps.map(coverageRow),
    limitations: report.limitations,
    appGroupTablesAsOf: report.appGroupTablesAsOf,
  };
}
