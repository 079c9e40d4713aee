import { isIP } from 'node:net';

import { UserError } from '../errors.js';
import type { Snapshot } from '../snapshot/types.js';
import { APP_GROUP_TABLES, WELL_KNOWN_APPS } from './app-groups.js';
import { DEVICE_FILTER_ATTRIBUTES } from './device-filter.js';
import { evaluatePolicies } from './evaluate.js';
import type { ClientAppType, Evaluation, EvaluationFacts, InsiderRiskLevel, Platform, RiskLevel, SignInContext, SignInDevice, SignInTarget, TransferMethod, TrustType } from './types.js';

/** What-if options as the command line gives them, before validation. */
export interface WhatifOptions {
  user: string;
  app?: string;
  userAction?: string;
  authContext?: string;
  clientApp: ClientAppType;
  platform: Platform;
  ip?: string;
  country?: string;
  /** Country of `ip` from an offline IP database, used when `country` is not given. */
  ipCountry?: string | null;
  flow?: TransferMethod;
  deviceCompliant?: boolean;
  deviceTrustType?: TrustType;
  deviceFilterAttr?: string[];
  signInRisk?: RiskLevel;
  userRisk?: RiskLevel;
  insiderRisk?: InsiderRiskLevel;
  externalTenant?: string;
}

/** The JSON `whatif --json` prints: the evaluation plus the sign-in it describes. */
export interface WhatifResult extends Evaluation {
  signIn: {
    user: { id: string; userPrincipalName: string | null; displayName: string | null };
    target: SignInTarget;
    clientAppType: ClientAppType;
    platform: Platform;
    ip: string | null;
    country: string | null;
    /** Source of the country: `--country`, the offline IP database for `--ip`, or neither. */
    countrySource: 'option' | 'ipDatabase' | 'unknown';
    flow: TransferMethod | null;
    device: SignInDevice | null;
    signInRisk: RiskLevel;
    userRisk: RiskLevel;
    insiderRisk: InsiderRiskLevel;
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_ACTIONS: Readonly<Record<string, 'urn:user:registersecurityinfo' | 'urn:user:registerdevice'>> = {
  registersecurityinfo: 'urn:user:registersecurityinfo',
  'urn:user:registersecurityinfo': 'urn:user:registersecurityinfo',
  registerdevice: 'urn:user:registerdevice',
  'urn:user:registerdevice': 'urn:user:registerdevice',
};

function resolveTarget(options: WhatifOptions): SignInTarget {
  const targets = [options.app, options.userAction, options.authContext].filter((value) => value !== undefined);
  if (targets.length !== 1) {
    throw new UserError('give exactly one of --app, --user-action and --auth-context', 'for example --app exchange or --app 00000003-0000-0ff1-ce00-000000000000');
  }
  if (options.userAction !== undefined) {
    const action = USER_ACTIONS[options.userAction.toLowerCase()];
    if (!action) throw new UserError(`unknown user action "${options.userAction}"`, 'use registersecurityinfo or registerdevice');
    return { kind: 'userAction', action };
  }
  if (options.authContext !== undefined) return { kind: 'authenticationContext', id: options.authContext };
  const app = options.app!;
  const named = WELL_KNOWN_APPS[app.toLowerCase()];
  if (named) return { kind: 'app', appId: named.appId, memberOf: named.memberOf };
  if (!GUID.test(app)) {
    throw new UserError(`--app "${app}" is neither an application id nor a known app name`, `use an application (client) id or one of: ${Object.keys(WELL_KNOWN_APPS).join(', ')}`);
  }
  return { kind: 'app', appId: app.toLowerCase() };
}

function resolveDevice(options: WhatifOptions): SignInDevice | null {
  const attributes: Record<string, string> = {};
  for (const pair of options.deviceFilterAttr ?? []) {
    const index = pair.indexOf('=');
    const name = index > 0 ? pair.slice(0, index) : '';
    const attribute = DEVICE_FILTER_ATTRIBUTES.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    if (!attribute) {
      throw new UserError(`--device-filter-attr "${pair}" does not name a device filter attribute`, `write name=value with a name from: ${DEVICE_FILTER_ATTRIBUTES.join(', ')}`);
    }
    attributes[attribute] = pair.slice(index + 1);
  }
  const registered = options.deviceCompliant !== undefined || options.deviceTrustType !== undefined || Object.keys(attributes).length > 0;
  // No device option at all means an unregistered device, whose properties are all null.
  if (!registered) return null;
  const device: SignInDevice = { isCompliant: options.deviceCompliant === true, attributes };
  if (options.deviceTrustType) device.trustType = options.deviceTrustType;
  return device;
}

/** Builds the sign-in from command-line options and evaluates the snapshot's policies for it. */
export function runWhatif(snapshot: Snapshot, options: WhatifOptions): WhatifResult {
  const user = snapshot.directory.findUser(options.user);
  if (!user || typeof user.id !== 'string') {
    const collected = snapshot.statusOf('users').status === 'collected';
    throw new UserError(
      `user "${options.user}" is not in the snapshot`,
      collected ? 'give the object id or userPrincipalName of a user in users.json' : 'the snapshot has no users resource; collect users or add users.json',
    );
  }
  if (options.ip !== undefined && isIP(options.ip) === 0) throw new UserError(`--ip "${options.ip}" is not an IPv4 or IPv6 address`, 'for example --ip 203.0.113.7');
  if (options.country !== undefined && !isCountryCode(options.country)) {
    throw new UserError(`--country "${options.country}" is not an ISO 3166 two-letter country code`, 'for example --country NL');
  }

  const context: SignInContext = {
    user: options.externalTenant !== undefined ? { id: user.id, externalTenantId: options.externalTenant } : { id: user.id },
    target: resolveTarget(options),
    clientAppType: options.clientApp,
    platform: options.platform,
    device: resolveDevice(options),
  };
  if (options.ip !== undefined) context.ip = options.ip;
  // An explicit country wins over the IP database; an IP the database does not place is an unknown country.
  if (options.country !== undefined) context.country = options.country.toUpperCase();
  else if (options.ipCountry) context.country = options.ipCountry.toUpperCase();
  if (options.flow !== undefined) context.flow = options.flow;
  if (options.signInRisk !== undefined) context.signInRisk = options.signInRisk;
  if (options.userRisk !== undefined) context.userRisk = options.userRisk;
  if (options.insiderRisk !== undefined) context.insiderRisk = options.insiderRisk;

  const facts: EvaluationFacts = {
    directory: snapshot.directory,
    namedLocations: snapshot.resources.namedLocations ?? [],
    authenticationStrengths: snapshot.resources.authenticationStrengthPolicies ?? [],
    appGroups: APP_GROUP_TABLES,
  };
  const evaluation = evaluatePolicies(snapshot.resources.conditionalAccessPolicies ?? [], facts, context);
  return {
    signIn: {
      user: { id: user.id, userPrincipalName: user.userPrincipalName ?? null, displayName: user.displayName ?? null },
      target: context.target,
      clientAppType: context.clientAppType,
      platform: context.platform,
      ip: context.ip ?? null,
      country: context.country ?? null,
      countrySource: countrySourceOf(options, context),
      flow: context.flow ?? null,
      device: context.device,
      signInRisk: context.signInRisk ?? 'none',
      userRisk: context.userRisk ?? 'none',
      insiderRisk: context.insiderRisk ?? 'none',
    },
    ...evaluation,
  };
}

function countrySourceOf(options: WhatifOptions, context: SignInContext): 'option' | 'ipDatabase' | 'unknown' {
  if (options.country !== undefined) return 'option';
  if (context.country !== undefined) return 'ipDatabase';
  return 'unknown';
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** Checks a code against the ISO 3166-1 alpha-2 regions that Node's ICU data names. */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Za-z]{2}$/.test(code)) return false;
  const upper = code.toUpperCase();
  // ICU also names a few user-assigned or macro-region codes: ZZ (unknown region), EU, UN, EZ and QO.
  if (['ZZ', 'EU', 'UN', 'EZ', 'QO'].includes(upper)) return false;
  return regionNames.of(upper) !== undefined;
}
