/**
 * Loading of real public exports. The expected figures were counted by hand from the files:
 * the j0eyv Conditional Access baseline (IntuneManagement beta export, UTF-16LE with BOM, CRLF,
 * OData annotations), the caOptics demo arrays, Microsoft Graph documentation examples and
 * ScubaGear's PowerShell dumps. Files are copied into temporary folders, never into the repository.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { InputError } from '../../src/errors.js';
import { readJsonFile } from '../../src/snapshot/json-input.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import type { LoadWarning } from '../../src/snapshot/types.js';
import { corpusPath, corpusSkip } from '../helpers/shared.js';
import { tempDir } from './fixture-folder.js';

const skip = { skip: corpusSkip };

async function copyInto(dir: string, from: string, to: string): Promise<void> {
  await mkdir(join(dir, to, '..'), { recursive: true });
  await copyFile(from, join(dir, to));
}

async function copyFolder(dir: string, from: string, to: string): Promise<number> {
  const names = (await readdir(from)).filter((name) => name.endsWith('.json'));
  await mkdir(join(dir, to), { recursive: true });
  for (const name of names) await copyFile(join(from, name), join(dir, to, name));
  return names.length;
}

async function loadWithWarnings(dir: string) {
  const warnings: LoadWarning[] = [];
  const snapshot = await loadSnapshot(dir, { onWarning: (warning) => warnings.push(warning) });
  return { snapshot, warnings };
}

function annotationKeys(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((element) => annotationKeys(element, found));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('@odata.') && key !== '@odata.type') found.push(key);
      annotationKeys(child, found);
    }
  }
  return found;
}

test('j0eyv baseline loads as a policy folder', skip, async () => {
  const dir = await tempDir();
  const policyFiles = await copyFolder(dir, corpusPath('j0eyv-ca-baseline', 'ConditionalAccess'), 'conditionalAccessPolicies');
  await copyFolder(dir, corpusPath('j0eyv-ca-baseline', 'NamedLocations'), 'namedLocations');
  const raw = await readFile(corpusPath('j0eyv-ca-baseline', 'ConditionalAccess', 'CA004-Global-IdentityProtection-AnyApp-AnyPlatform-AuthenticationFlows.json'));
  assert.deepEqual([...raw.subarray(0, 2)], [0xff, 0xfe], 'CA004 is UTF-16LE with a BOM');

  const { snapshot, warnings } = await loadWithWarnings(dir);
  assert.deepEqual(warnings, []);
  const policies = snapshot.resources.conditionalAccessPolicies!;
  assert.equal(policyFiles, 34);
  assert.equal(policies.length, 34);
  assert.equal(policies.filter((p) => p.state === 'enabledForReportingButNotEnforced').length, 5);

  const ca004 = policies.find((p) => p.displayName === 'CA004-Global-IdentityProtection-AnyApp-AnyPlatform-AuthenticationFlows');
  assert.ok(ca004);
  assert.equal(ca004.id, '1bf06972-bd5c-4d06-98ce-6b5bf5f1959f');
  assert.equal(ca004.state, 'enabled');
  assert.equal(ca004.conditions?.authenticationFlows?.transferMethods, 'deviceCodeFlow,authenticationTransfer');
  assert.deepEqual(ca004.grantControls?.builtInControls, ['block']);
  assert.deepEqual(ca004.conditions?.users?.excludeGroups, ['2802b872-ccfb-4b29-a9a9-459808dfb11b', 'f389fc8e-3965-4ae0-aa53-87511ab05f2b']);
  assert.equal(policies.filter((p) => p.conditions?.authenticationFlows?.transferMethods).length, 1);

  assert.deepEqual(annotationKeys(policies), []);
  assert.equal((policies[0] as Record<string, unknown>)['@odata.type'], '#microsoft.graph.conditionalAccessPolicy');

  const locations = snapshot.resources.namedLocations!;
  assert.deepEqual(locations.map((l) => (l as Record<string, unknown>)['@odata.type']).sort(), [
    '#microsoft.graph.compliantNetworkNamedLocation',
    '#microsoft.graph.countryNamedLocation',
  ]);
});

const caOpticsCounts: Array<[file: string, policies: number]> = [
  ['example1-2.json', 2],
  ['extreme.json', 6],
  ['extremelyNarrow.json', 6],
  ['largePol.json', 7],
  ['lotOfGroups.json', 2],
  ['multipleGuestTypes.json', 4],
  ['policies.json', 3],
  ['policies2.json', 3],
  ['testMapping.json', 9],
  ['withOnePerm.json', 2],
];

for (const [file, count] of caOpticsCounts) {
  test(`caOptics ${file} loads as a bare array`, skip, async () => {
    const dir = await tempDir();
    await copyInto(dir, corpusPath('caoptics', file), 'conditionalAccessPolicies.json');
    const { snapshot, warnings } = await loadWithWarnings(dir);
    assert.deepEqual(warnings, []);
    assert.equal(snapshot.resources.conditionalAccessPolicies?.length, count);
  });
}

test('caOptics guest types stay one string', skip, async () => {
  const dir = await tempDir();
  await copyInto(dir, corpusPath('caoptics', 'multipleGuestTypes.json'), 'conditionalAccessPolicies.json');
  await copyInto(dir, corpusPath('caoptics', 'namedLocations.json'), 'namedLocations.json');
  const { snapshot } = await loadWithWarnings(dir);
  const sda = snapshot.resources.conditionalAccessPolicies!.find((p) => p.displayName === 'SDa');
  assert.equal(
    sda?.conditions?.users?.includeGuestsOrExternalUsers?.guestOrExternalUserTypes,
    'internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider',
  );
  const blockAll = snapshot.resources.conditionalAccessPolicies!.find((p) => p.displayName === 'blockAll');
  assert.deepEqual(blockAll?.conditions?.users?.excludeUsers, ['259fcf40-ff7c-4625-9b78-cd11793f161f', 'GuestsOrExternalUsers']);

  const locations = snapshot.resources.namedLocations!;
  assert.equal(locations.length, 3);
  const finland = locations.find((l) => l.displayName === 'finland') as Record<string, unknown> | undefined;
  assert.deepEqual(finland?.countriesAndRegions, ['FI']);
  const ip = locations.find((l) => l.id === '0935449a-60af-42b0-a4aa-94ff2a203d90') as Record<string, unknown> | undefined;
  assert.deepEqual(ip?.ipRanges, [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '87.92.49.122/32' }]);
});

const graphDocsFiles: Array<[source: string, target: string]> = [
  ['v1.0_authenticationmethodspolicy-get.json', 'authenticationMethodsPolicy.json'],
  ['v1.0_authenticationstrengthpolicies-list.json', 'authenticationStrengthPolicies.json'],
  ['v1.0_authorizationpolicy-get.json', 'authorizationPolicy.json'],
  ['v1.0_conditionalaccess-policies-list.json', 'conditionalAccessPolicies.json'],
  ['v1.0_identitysecuritydefaultsenforcementpolicy-get.json', 'identitySecurityDefaultsEnforcementPolicy.json'],
  ['v1.0_manageddevices-list_PLACEHOLDERS.json', 'managedDevices.json'],
  ['v1.0_namedlocations-list.json', 'namedLocations.json'],
  ['v1.0_oauth2permissiongrants-list.json', 'oauth2PermissionGrants.json'],
  ['v1.0_riskdetection-list.json', 'riskDetections.json'],
  ['v1.0_roleassignments-list_filter-principal.json', 'roleAssignments.json'],
  ['v1.0_roleeligibilityschedules-list.json', 'roleEligibilitySchedules.json'],
  ['v1.0_subscribedsku-list.json', 'subscribedSkus.json'],
  ['v1.0_userregistrationdetails-list.json', 'userRegistrationDetails.json'],
  ['beta_signin-list_example1.json', 'signIns/beta-example.json'],
  ['v1.0_delegatedadminrelationships-list.json', 'delegatedAdminRelationships.json'],
];

test('Graph documentation examples load', skip, async () => {
  const dir = await tempDir();
  for (const [source, target] of graphDocsFiles) await copyInto(dir, corpusPath('graph-docs', source), target);
  const { snapshot, warnings } = await loadWithWarnings(dir);
  const r = snapshot.resources;

  assert.deepEqual(
    warnings.map((w) => w.message),
    ['unknown file delegatedAdminRelationships.json ignored; resource files are named after the resources in docs/snapshot-format.md'],
  );
  assert.equal(r.subscribedSkus?.length, 2);
  assert.equal(r.conditionalAccessPolicies?.length, 2);
  assert.equal(r.namedLocations?.length, 3);
  assert.equal(r.authenticationStrengthPolicies?.length, 3);
  assert.equal(r.roleAssignments?.length, 2);
  assert.equal(r.roleEligibilitySchedules?.length, 1);
  assert.equal(r.userRegistrationDetails?.length, 3);
  assert.equal(r.riskDetections?.length, 1);
  assert.equal(r.managedDevices?.length, 1);
  assert.equal(r.oauth2PermissionGrants?.length, 2);
  assert.equal(r.authorizationPolicy?.allowInvitesFrom, 'everyone');
  assert.equal(r.identitySecurityDefaultsEnforcementPolicy?.isEnabled, true);
  assert.deepEqual(
    r.authenticationMethodsPolicy?.authenticationMethodConfigurations?.map((c) => `${(c as Record<string, unknown>)['@odata.type']}:${c.state}`),
    [
      '#microsoft.graph.fido2AuthenticationMethodConfiguration:disabled',
      '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration:disabled',
      '#microsoft.graph.smsAuthenticationMethodConfiguration:enabled',
      '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration:disabled',
      '#microsoft.graph.emailAuthenticationMethodConfiguration:enabled',
    ],
  );
  assert.deepEqual(snapshot.signInFiles, [join(dir, 'signIns', 'beta-example.json')]);
  assert.equal(snapshot.statusOf('signIns').status, 'collected');
  assert.equal(snapshot.statusOf('users').status, 'notCollected');
});

test('Graph docs role assignments with trailing comma', skip, async () => {
  const dir = await tempDir();
  await copyInto(dir, corpusPath('graph-docs', 'v1.0_roleassignments-list_expand-principal_INVALID-trailing-comma.json'), 'roleAssignments.json');
  await assert.rejects(loadSnapshot(dir), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.location.file, join(dir, 'roleAssignments.json'));
    assert.equal(error.location.line, 22);
    assert.match(error.problem, /invalid JSON at line 22, column 13: found "}"/);
    assert.match(error.expected, /property name in double quotes after the comma/);
    assert.match(error.fix ?? '', /remove the trailing comma/);
    return true;
  });
});

test('Graph docs sign-in list with trailing comma', skip, async () => {
  const file = corpusPath('graph-docs', 'v1.0_signin-list_example1_INVALID-trailing-comma.json');
  await assert.rejects(readJsonFile(file), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.location.line, 64);
    assert.match(error.expected, /a value after the comma/);
    assert.match(error.fix ?? '', /remove the trailing comma before "\]"/);
    return true;
  });
});

test('Graph docs risky user placeholders are rejected', skip, async () => {
  const dir = await tempDir();
  await copyInto(dir, corpusPath('graph-docs', 'v1.0_riskyuser-list_TYPE-PLACEHOLDERS.json'), 'riskyUsers.json');
  await assert.rejects(loadSnapshot(dir), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.location.jsonPath, '$.value[0].isDeleted');
    assert.match(error.problem, /"isDeleted" is a string \("Boolean"\)/);
    assert.match(error.expected, /a boolean/);
    return true;
  });
});

async function scubaPolicies(file: string): Promise<unknown[]> {
  const export_ = (await readJsonFile(corpusPath('scubagear', file))) as { conditional_access_policies: unknown[] };
  return export_.conditional_access_policies;
}

test('ScubaGear collapsed single policy loads', skip, async () => {
  const dir = await tempDir();
  const policies = await scubaPolicies('Sample-Reports_ProviderSettingsExport.json');
  const deviceCode = policies[5];
  await writeFile(join(dir, 'conditionalAccessPolicies.json'), JSON.stringify(deviceCode));
  const { snapshot, warnings } = await loadWithWarnings(dir);

  const loaded = snapshot.resources.conditionalAccessPolicies!;
  assert.equal(loaded.length, 1);
  assert.equal(loaded[0]!.id, '2af2e7a1-f8c0-4c4c-9b29-df8c29380cee');
  assert.equal(loaded[0]!.displayName, 'MS.AAD.3.9v1 Device code authentication SHOULD be blocked');
  assert.equal(loaded[0]!.conditions?.authenticationFlows?.transferMethods, 'deviceCodeFlow');
  assert.ok(warnings.some((w) => /one object rather than a list/.test(w.message)));
  assert.ok(warnings.some((w) => /PowerShell object dump/.test(w.message)));
});

test('ScubaGear policy list converts dates', skip, async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'conditionalAccessPolicies.json'), JSON.stringify(await scubaPolicies('CreateReportStubs_ProviderSettingsExport.json')));
  const { snapshot } = await loadWithWarnings(dir);
  const loaded = snapshot.resources.conditionalAccessPolicies!;
  assert.equal(loaded.length, 20);
  assert.equal(loaded.filter((p) => p.state === 'enabledForReportingButNotEnforced').length, 8);
  assert.equal(loaded[0]!.displayName, 'Live - MFA SHALL be required for all users');
  assert.equal(loaded[0]!.createdDateTime, new Date(1618315427741).toISOString());
  assert.deepEqual(loaded[0]!.conditions?.users?.includeUsers, ['All']);
});

test('AlexFilipin template without id is rejected', skip, async () => {
  const dir = await tempDir();
  const template = '307 - RING - Attack surface reduction - All apps Block Device Code Flow copy.json';
  await copyInto(dir, corpusPath('alexfilipin-ca', 'PolicyRepository', 'Attack surface reduction', template), join('conditionalAccessPolicies', template));
  await assert.rejects(loadSnapshot(dir), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.location.file, join(dir, 'conditionalAccessPolicies', template));
    assert.equal(error.location.jsonPath, '$.id');
    assert.match(error.problem, /"id" is missing/);
    assert.match(error.fix ?? '', /Graph always returns it/);
    return true;
  });
});
