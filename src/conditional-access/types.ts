import type * as Graph from '@microsoft/microsoft-graph-types';

import type { DirectoryFacts } from '../snapshot/types.js';
import type { AppGroupTables } from './app-groups.js';

/** Client app types a sign-in can have, as Graph's `conditionalAccessClientApp` spells them. */
export const CLIENT_APP_TYPES = ['browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other'] as const;
export type ClientAppType = (typeof CLIENT_APP_TYPES)[number];

/** Device platforms; `unknown` is a user agent Entra cannot map to a platform. */
export const PLATFORMS = ['android', 'iOS', 'windows', 'macOS', 'linux', 'windowsPhone', 'unknown'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const RISK_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const INSIDER_RISK_LEVELS = ['none', 'minor', 'moderate', 'elevated'] as const;
export type InsiderRiskLevel = (typeof INSIDER_RISK_LEVELS)[number];

export const TRANSFER_METHODS = ['deviceCodeFlow', 'authenticationTransfer'] as const;
export type TransferMethod = (typeof TRANSFER_METHODS)[number];

export const TRUST_TYPES = ['AzureAD', 'ServerAD', 'Workplace'] as const;
export type TrustType = (typeof TRUST_TYPES)[number];

/** Graph's `conditionalAccessGuestOrExternalUserTypes` members a user can be. */
export const EXTERNAL_USER_TYPES = [
  'internalGuest',
  'b2bCollaborationGuest',
  'b2bCollaborationMember',
  'b2bDirectConnectUser',
  'otherExternalUser',
  'serviceProvider',
] as const;
export type ExternalUserType = (typeof EXTERNAL_USER_TYPES)[number];

export const APP_GROUPS = ['Office365', 'MicrosoftAdminPortals'] as const;
export type AppGroup = (typeof APP_GROUPS)[number];

/**
 * The user of a sign-in. `groups` and `roles` default to what the directory facts hold for `id`;
 * the coverage analysis passes them explicitly for a whole class of users.
 */
export interface SignInUser {
  id: string;
  /** Transitive group ids. */
  groups?: ReadonlySet<string>;
  /** Role template ids held through active tenant-wide assignments. */
  roles?: ReadonlySet<string>;
  /** Null for an internal member. Defaults to the value in the directory's user object. */
  externalUserType?: ExternalUserType | null;
  /** Home tenant of an external user, when known. */
  externalTenantId?: string;
}

/** Target of the sign-in request: one resource, one user action or one authentication context. */
export type SignInTarget =
  | {
      kind: 'app';
      appId: string;
      /**
       * App groups the app belongs to, stated by the caller. When absent, membership comes from
       * the project's app-group tables, and an app they do not list is reported as uncertain.
       */
      memberOf?: readonly AppGroup[];
    }
  | { kind: 'userAction'; action: 'urn:user:registersecurityinfo' | 'urn:user:registerdevice' }
  | { kind: 'authenticationContext'; id: string };

/** A registered device. `null` in the context means an unregistered device (all properties null). */
export interface SignInDevice {
  isCompliant?: boolean;
  trustType?: TrustType;
  /** Other device filter attributes by name, e.g. `model`, `extensionAttribute1`. */
  attributes?: Readonly<Record<string, string | boolean | readonly string[]>>;
}

export interface SignInContext {
  user: SignInUser;
  target: SignInTarget;
  clientAppType: ClientAppType;
  platform: Platform;
  ip?: string;
  /** ISO 3166 two-letter code. When absent the country is unknown, even when `ip` is given. */
  country?: string;
  flow?: TransferMethod;
  device: SignInDevice | null;
  signInRisk?: RiskLevel;
  userRisk?: RiskLevel;
  insiderRisk?: InsiderRiskLevel;
}

export interface EvaluationFacts {
  directory?: DirectoryFacts;
  namedLocations: readonly Graph.NamedLocation[];
  /** The tenant's strengths; built-in ones are known by id even when missing here. */
  authenticationStrengths: readonly Graph.AuthenticationStrengthPolicy[];
  appGroups: AppGroupTables;
}

/** Condition names as the `analysisReasons` flags of Graph's What If API spell them. */
export type ReasonCode =
  | 'users'
  | 'application'
  | 'userActions'
  | 'authenticationContext'
  | 'clientApps'
  | 'devicePlatform'
  | 'location'
  | 'devices'
  | 'signInRisk'
  | 'userRisk'
  | 'insiderRisk'
  | 'authenticationFlow'
  | 'policyNotEnabled'
  | 'invalidCondition'
  | 'workloadIdentities';

/** A grant control in an operator tree. `control` is Graph's name or `kind:id` for referenced objects. */
export interface GrantControl {
  control: string;
  displayName?: string;
  /** For authentication strengths: the allowed method combinations, when known. */
  allowedCombinations?: string[];
}

/** Grant requirements of one policy: `{ operator, controls }`. All policies' trees are ANDed. */
export interface RequirementTree {
  policyId: string;
  displayName: string;
  operator: 'AND' | 'OR';
  controls: GrantControl[];
}

export interface SessionControlEntry {
  policyId: string;
  control: string;
  settings: unknown;
}

export interface Outcome {
  /**
   * `blocked`: an applying policy blocks. `requirements`: controls must be satisfied.
   * `granted`: no applying policy has a grant control (session controls may still apply).
   */
  access: 'blocked' | 'granted' | 'requirements';
  blockedBy: string[];
  requirements: RequirementTree[];
  sessionControls: SessionControlEntry[];
}

/** Something the evaluator could not decide from the data; the policy is treated as not applying. */
export interface Uncertainty {
  policyId: string;
  condition: ReasonCode;
  detail: string;
}

export interface PolicyResult {
  id: string;
  displayName: string;
  state: string;
  applies: boolean;
  /** Every condition that did not match; empty when the policy applies. */
  reasons: ReasonCode[];
}

export interface Evaluation {
  policies: PolicyResult[];
  outcome: Outcome;
  /** The outcome if report-only policies were enforced alongside the enabled ones. */
  reportOnly: Outcome;
  uncertain: Uncertainty[];
}
