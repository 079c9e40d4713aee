import type * as Graph from '@microsoft/microsoft-graph-types';

/**
 * Built-in authentication strengths, known by id in every tenant. Microsoft updates their
 * combinations when new methods appear, so a tenant's own copy wins when the snapshot has one.
 * Source: https://learn.microsoft.com/graph/api/authenticationstrengthroot-list-policies (2024-05-28).
 */
export const BUILT_IN_STRENGTHS: readonly Graph.AuthenticationStrengthPolicy[] = [
  {
    id: '00000000-0000-0000-0000-000000000002',
    displayName: 'Multifactor authentication',
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations: [
      'windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush',
      'temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse', 'password,microsoftAuthenticatorPush',
      'password,softwareOath', 'password,hardwareOath', 'password,x509CertificateSingleFactor',
      'password,x509CertificateMultiFactor', 'password,sms', 'password,voice', 'federatedMultiFactor',
      'microsoftAuthenticatorPush,federatedSingleFactor', 'softwareOath,federatedSingleFactor',
      'hardwareOath,federatedSingleFactor', 'sms,federatedSingleFactor', 'voice,federatedSingleFactor',
    ] as string[] as Graph.AuthenticationMethodModes[],
  },
  {
    id: '00000000-0000-0000-0000-000000000003',
    displayName: 'Passwordless MFA',
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush'],
  },
  {
    id: '00000000-0000-0000-0000-000000000004',
    displayName: 'Phishing-resistant MFA',
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
  },
];

export const PHISHING_RESISTANT_STRENGTH_ID = '00000000-0000-0000-0000-000000000004';

/** Methods that are phishing-resistant on their own (Microsoft's authentication strengths table). */
const PHISHING_RESISTANT_METHODS: ReadonlySet<string> = new Set(['fido2', 'windowsHelloForBusiness', 'x509CertificateMultiFactor']);

/** Single methods that are multifactor on their own; any other single method is one factor. */
const MULTIFACTOR_METHODS: ReadonlySet<string> = new Set([
  'fido2',
  'windowsHelloForBusiness',
  'x509CertificateMultiFactor',
  'deviceBasedPush',
  'temporaryAccessPassOneTime',
  'temporaryAccessPassMultiUse',
  'federatedMultiFactor',
]);

/** Splits a combination such as `"password, sms"` into its methods; Graph's flag strings may contain spaces. */
function methodsOf(combination: string): string[] {
  return combination.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

function combinationIsMultifactor(combination: string): boolean {
  const methods = methodsOf(combination);
  if (methods.length >= 2) return true;
  return methods.length === 1 && MULTIFACTOR_METHODS.has(methods[0]!);
}

function combinationIsPhishingResistant(combination: string): boolean {
  const methods = methodsOf(combination);
  return methods.length === 1 && PHISHING_RESISTANT_METHODS.has(methods[0]!);
}

/** True when every allowed combination needs two factors; an empty list proves nothing. */
export function strengthRequiresMfa(combinations: readonly string[] | undefined): boolean {
  return combinations !== undefined && combinations.length > 0 && combinations.every(combinationIsMultifactor);
}

/** True when every allowed combination is phishing-resistant (FIDO2, Windows Hello, multifactor certificate). */
export function strengthIsPhishingResistant(combinations: readonly string[] | undefined): boolean {
  return combinations !== undefined && combinations.length > 0 && combinations.every(combinationIsPhishingResistant);
}

/**
 * Finds a strength by id: the policy's inline copy first (Graph returns it inside
 * grantControls), then the tenant's list, then the built-in table.
 */
export function resolveStrength(
  reference: Graph.AuthenticationStrengthPolicy | null | undefined,
  tenantStrengths: readonly Graph.AuthenticationStrengthPolicy[],
): Graph.AuthenticationStrengthPolicy | undefined {
  if (!reference || typeof reference.id !== 'string') return undefined;
  const id = reference.id.toLowerCase();
  if (Array.isArray(reference.allowedCombinations) && reference.allowedCombinations.length > 0) return reference;
  return (
    tenantStrengths.find((strength) => strength.id?.toLowerCase() === id) ??
    BUILT_IN_STRENGTHS.find((strength) => strength.id === id) ??
    reference
  );
}
