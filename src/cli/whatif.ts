import { resolve } from 'node:path';

import { Option, type Command } from 'commander';

import { REASON_TEXT } from '../conditional-access/summary.js';
import type { Outcome } from '../conditional-access/types.js';
import { CLIENT_APP_TYPES, INSIDER_RISK_LEVELS, PLATFORMS, RISK_LEVELS, TRANSFER_METHODS, TRUST_TYPES } from '../conditional-access/types.js';
import { runWhatif, type WhatifOptions, type WhatifResult } from '../conditional-access/whatif.js';
import { WELL_KNOWN_APPS } from '../conditional-access/app-groups.js';
import { EXIT } from '../errors.js';
import { createEnricher } from '../signins/enrich.js';
import { loadSnapshot } from '../snapshot/load.js';
import { toTerminalText } from './terminal.js';

interface WhatifCommandOptions extends WhatifOptions {
  json?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerWhatif(program: Command): void {
  program
    .command('whatif')
    .summary('show which Conditional Access policies apply to one sign-in')
    .description(
      'Evaluate the snapshot\'s Conditional Access policies offline for one sign-in, as Entra ID would, and print\n' +
        'which policies apply, why the others do not, and the combined outcome. See docs/whatif.md.',
    )
    .argument('<SNAPSHOT_DIR>', 'snapshot folder')
    .requiredOption('--user <UPN_OR_ID>', 'user signing in: userPrincipalName or object id')
    .option('--app <ID_OR_NAME>', `resource: application id, or one of ${Object.keys(WELL_KNOWN_APPS).join(', ')}`)
    .option('--user-action <ACTION>', 'user action instead of an app: registersecurityinfo or registerdevice')
    .option('--auth-context <ID>', 'authentication context id (such as c1) instead of an app')
    .addOption(new Option('--client-app <TYPE>', 'client app type').choices([...CLIENT_APP_TYPES]).default('browser'))
    .addOption(new Option('--platform <PLATFORM>', 'device platform; unknown matches only policies that include all platforms').choices([...PLATFORMS]).default('windows'))
    .option('--ip <ADDRESS>', 'IPv4 or IPv6 address the sign-in comes from; its country comes from the bundled offline IP database')
    .option('--country <CODE>', 'ISO 3166 two-letter country code; wins over the country of --ip')
    .addOption(new Option('--flow <FLOW>', 'authentication flow').choices([...TRANSFER_METHODS]))
    .option('--device-compliant', 'the device is registered and marked compliant')
    .addOption(new Option('--device-trust-type <TYPE>', 'the device is registered with this join type').choices([...TRUST_TYPES]))
    .option('--device-filter-attr <NAME=VALUE>', 'a device property for device filters, such as model=Surface (repeatable)', collect)
    .addOption(new Option('--sign-in-risk <LEVEL>', 'sign-in risk level').choices([...RISK_LEVELS]))
    .addOption(new Option('--user-risk <LEVEL>', 'user risk level').choices([...RISK_LEVELS]))
    .addOption(new Option('--insider-risk <LEVEL>', 'insider risk level').choices([...INSIDER_RISK_LEVELS]))
    .option('--external-tenant <TENANT_ID>', "home tenant of a guest user, for policies that list external tenants")
    .option('--json', 'print the result as JSON (shape in docs/whatif.md)')
    .action(async (snapshotDir: string, options: WhatifCommandOptions) => {
      const snapshot = await loadSnapshot(resolve(snapshotDir));
      if (options.ip !== undefined && options.country === undefined) options.ipCountry = await countryOfIp(options.ip);
      const result = runWhatif(snapshot, options);
      process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatResult(result));
      process.exitCode = EXIT.ok;
    });
}

/** Looks up the country of an address in the offline database; null when it has none or the address is invalid. */
async function countryOfIp(ip: string): Promise<string | null> {
  const enricher = await createEnricher();
  const event = enricher.enrich({ id: 'whatif', createdDateTime: '', ipAddress: ip });
  return event.network?.country ?? null;
}

function describeTarget(result: WhatifResult): string {
  const target = result.signIn.target;
  if (target.kind === 'app') {
    const known = Object.values(WELL_KNOWN_APPS).find((app) => app.appId === target.appId);
    return known ? `app ${known.displayName} (${target.appId})` : `app ${target.appId}`;
  }
  if (target.kind === 'userAction') return `user action ${target.action}`;
  return `authentication context ${target.id}`;
}

function describeSignIn(result: WhatifResult): string {
  const signIn = result.signIn;
  const parts = [signIn.user.userPrincipalName ?? signIn.user.id, describeTarget(result), `client ${signIn.clientAppType}`, `platform ${signIn.platform}`];
  if (signIn.flow) parts.push(`flow ${signIn.flow}`);
  if (signIn.ip) parts.push(`IP ${signIn.ip}`);
  const countrySource = signIn.countrySource === 'ipDatabase' ? ' (from the IP address)' : '';
  parts.push(signIn.country ? `country ${signIn.country}${countrySource}` : 'country unknown');
  parts.push(signIn.device ? `registered device${signIn.device.isCompliant ? ', compliant' : ''}${signIn.device.trustType ? `, ${signIn.device.trustType}` : ''}` : 'unregistered device');
  return parts.join(', ');
}

function formatOutcome(label: string, outcome: Outcome, names: ReadonlyMap<string, string>): string[] {
  const lines = [`${label}: ${outcome.access}`];
  if (outcome.access === 'blocked') lines.push(`  blocked by: ${outcome.blockedBy.map((id) => names.get(id) ?? id).join(', ')}`);
  for (const tree of outcome.requirements) {
    lines.push(`  ${tree.displayName}: ${tree.controls.map((control) => control.displayName ?? control.control).join(` ${tree.operator} `)}`);
  }
  for (const session of outcome.sessionControls) lines.push(`  session control ${session.control} (policy ${session.policyId})`);
  return lines;
}

/** Plain-text rendering for a terminal. */
export function formatResult(result: WhatifResult): string {
  const lines: string[] = [];
  lines.push(`Sign-in: ${describeSignIn(result)}`);
  lines.push('');
  for (const policy of result.policies) {
    const state = policy.state === 'enabledForReportingButNotEnforced' ? 'report-only' : policy.state;
    const verdict = policy.applies ? 'APPLIES' : `does not apply: ${policy.reasons.map((reason) => REASON_TEXT[reason] ?? reason).join('; ')}`;
    lines.push(`  [${state}] ${policy.displayName}: ${verdict}`);
  }
  lines.push('');
  const names = new Map(result.policies.map((policy) => [policy.id, policy.displayName]));
  lines.push(...formatOutcome('Outcome', result.outcome, names));
  lines.push(...formatOutcome('If report-only policies were enforced', result.reportOnly, names));
  if (result.uncertain.length > 0) {
    lines.push('', 'Could not be decided from the snapshot (the policy is treated as not applying):');
    for (const entry of result.uncertain) lines.push(`  ${entry.policyId} (${entry.condition}): ${entry.detail}`);
  }
  // Policy and app names come from the tenant: escape control characters before they reach a terminal.
  return `${toTerminalText(lines.join('\n'))}\n`;
}
