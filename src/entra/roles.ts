/**
 * Built-in Microsoft Entra role template ids. Conditional Access `includeRoles`/`excludeRoles`
 * and role assignments' `roleDefinitionId` use these template ids, which are the same in every tenant.
 * Source: Microsoft Entra built-in roles reference (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference),
 * page dated 2026-01-20.
 */
export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  conditionalAccessAdministrator: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  sharePointAdministrator: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  teamsAdministrator: '69091246-20e8-4a56-aa4d-066075b2a7a8',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  passwordAdministrator: '966707d0-3269-4727-9be2-8c3a10f19b9d',
  billingAdministrator: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  authenticationPolicyAdministrator: '0526716b-113d-4c15-b2c8-68e3c22b9f80',
  intuneAdministrator: '3a2c62db-5318-420d-8d74-23affee5d9d5',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  securityOperator: '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
  hybridIdentityAdministrator: '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
  identityGovernanceAdministrator: '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e',
  cloudDeviceAdministrator: '7698a772-787b-4ac8-901f-60d6b08affd2',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  domainNameAdministrator: '8329153b-31d0-4727-b945-745eb3bc5f31',
  externalIdentityProviderAdministrator: 'be2f45a1-457d-42af-a067-6ec1fa63bc45',
  directoryWriters: '9360feb5-f418-4baa-8175-e2a00bac4301',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  directorySynchronizationAccounts: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
  reportsReader: '4a5d8f65-41da-4de4-8968-e035b65339cf',
  complianceAdministrator: '17315797-102d-40b4-93e0-432062caca18',
  cloudAppSecurityAdministrator: '892c5842-a9a6-463a-8041-72aa08ca3cf6',
  applicationDeveloper: 'cf1c38e5-3621-4004-a7cb-879624dced7c',
  attributeProvisioningAdministrator: 'ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe',
  authenticationExtensibilityAdministrator: '25a516ed-2fa0-40ea-a2d0-12923a21473a',
  b2cIefKeysetAdministrator: 'aaf43236-0c0d-4d5f-883a-6955382ac081',
  lifecycleWorkflowsAdministrator: '59d46f88-662b-457b-bceb-5c3809e5908f',
  partnerTier1Support: '4ba39ca4-527c-499a-b93d-d9b492c50246',
  partnerTier2Support: 'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8',
  agentIdAdministrator: 'db506228-d27e-4b7d-95e5-295956d6615f',
  powerPlatformAdministrator: '11648597-926c-4cf3-9c36-bcebb0ba8dcc',
  dynamics365Administrator: '44367163-eba1-44c3-98af-f5787879f96a',
  windows365Administrator: '11451d60-acb2-45eb-a7d6-43d0f0125c13',
  globalSecureAccessAdministrator: 'ac434307-12b9-4fa1-a708-88bf58caabc1',
  exchangeRecipientAdministrator: '31392ffb-586c-42d1-9346-e59415a2cc4e',
  guestInviter: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  entraJoinedDeviceLocalAdministrator: '9f06204d-73c1-4d4c-880a-6edb90606fd8',
} as const;

export type RoleKey = keyof typeof ROLE;

/** Display names of the role template ids above, for evidence when roleDefinitions was not collected. */
export const ROLE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ROLE).map(([key, id]) => [
    id,
    key
      .replace(/([A-Z])/g, ' $1')
      .replace(/^./, (first) => first.toUpperCase())
      .replace('Share Point', 'SharePoint')
      .replace('Entra Joined', 'Microsoft Entra Joined')
      .replace('B2c Ief', 'B2C IEF')
      .replace('Id ', 'ID ')
      .replace(/(\D)365/, '$1 365'),
  ]),
);

/**
 * The 15 roles of Microsoft's "Require phishing-resistant multifactor authentication for
 * administrators" Conditional Access template (also its MFA-for-administrators template).
 * Source: learn.microsoft.com/entra/identity/conditional-access/policy-admin-phish-resistant-mfa.
 * Intune Administrator and Global Reader are not in Microsoft's list.
 */
export const PHISHING_RESISTANT_ADMIN_ROLES: readonly string[] = [
  ROLE.globalAdministrator,
  ROLE.applicationAdministrator,
  ROLE.authenticationAdministrator,
  ROLE.billingAdministrator,
  ROLE.cloudApplicationAdministrator,
  ROLE.conditionalAccessAdministrator,
  ROLE.exchangeAdministrator,
  ROLE.helpdeskAdministrator,
  ROLE.passwordAdministrator,
  ROLE.privilegedAuthenticationAdministrator,
  ROLE.privilegedRoleAdministrator,
  ROLE.securityAdministrator,
  ROLE.sharePointAdministrator,
  ROLE.teamsAdministrator,
  ROLE.userAdministrator,
];

/**
 * Roles Microsoft labels PRIVILEGED in the built-in roles reference (page dated 2026-01-20).
 * Exchange, SharePoint, Teams, Billing and Authentication Policy Administrator are not labelled
 * there, although the phishing-resistant template above covers several of them.
 */
export const PRIVILEGED_ROLES: ReadonlySet<string> = new Set([
  ROLE.applicationAdministrator,
  ROLE.applicationDeveloper,
  ROLE.attributeProvisioningAdministrator,
  ROLE.authenticationAdministrator,
  ROLE.authenticationExtensibilityAdministrator,
  ROLE.b2cIefKeysetAdministrator,
  ROLE.cloudApplicationAdministrator,
  ROLE.cloudDeviceAdministrator,
  ROLE.conditionalAccessAdministrator,
  ROLE.directoryWriters,
  ROLE.domainNameAdministrator,
  ROLE.externalIdentityProviderAdministrator,
  ROLE.globalAdministrator,
  ROLE.globalReader,
  ROLE.helpdeskAdministrator,
  ROLE.hybridIdentityAdministrator,
  ROLE.intuneAdministrator,
  ROLE.lifecycleWorkflowsAdministrator,
  ROLE.partnerTier1Support,
  ROLE.partnerTier2Support,
  ROLE.passwordAdministrator,
  ROLE.privilegedAuthenticationAdministrator,
  ROLE.privilegedRoleAdministrator,
  ROLE.securityAdministrator,
  ROLE.securityOperator,
  ROLE.securityReader,
  ROLE.userAdministrator,
  ROLE.agentIdAdministrator,
]);
