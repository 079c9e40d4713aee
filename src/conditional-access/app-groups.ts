import type { AppGroup } from './types.js';

/**
 * Members of the `Office365` and `MicrosoftAdminPortals` app groups, as application (client) ids.
 *
 * Microsoft names the members of both groups but publishes no ids for them, and its What If API
 * does not expand the keywords. These tables join Microsoft's member names to ids from Microsoft's
 * table of first-party application ids and from Microsoft-owned service principals:
 * - Office365: https://learn.microsoft.com/entra/identity/conditional-access/reference-office-365-application-contents
 *   (page revision dated 2024-12-06).
 * - MicrosoftAdminPortals: https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#microsoft-admin-portals
 *   (page revision dated 2026-01-26).
 * - Ids: https://learn.microsoft.com/troubleshoot/azure/active-directory/verify-first-party-apps-sign-in
 *   and Microsoft-owned service principals (appOwnerOrganizationId f8cdef31-a31e-4b4a-93e4-5f571e91255a).
 *
 * `members` contains ids whose name matches Microsoft's list exactly and whose id is backed by
 * Microsoft's table or a Microsoft-owned service principal. `uncertainMembers` holds ids matched by
 * a near name or only by a documentation row; the evaluator counts them as members and reports the
 * uncertainty. Both groups are open sets: an id in neither list is "membership unknown", never
 * "not a member", unless it is in `nonMembers`.
 */
export interface AppGroupTable {
  /** Date of the Microsoft page revision the table follows. */
  asOf: string;
  members: ReadonlyMap<string, string>;
  uncertainMembers: ReadonlyMap<string, string>;
  /** Ids known to be outside the group, so a sign-in to them is decided without uncertainty. */
  nonMembers: ReadonlyMap<string, string>;
}

export type AppGroupTables = Readonly<Record<AppGroup, AppGroupTable>>;

const OFFICE365_MEMBERS: readonly [string, string][] = [
  ['4580fd1d-e5a3-4f56-9ad1-aab0e3bf8f76', 'Call Recorder'],
  ['48af08dc-f6d2-435f-b2a7-069abd99c086', 'Connectors'],
  ['8f348934-64be-4bb2-bc16-c54c96789f43', 'EDU Assignments'],
  ['86b4b4b4-db10-481c-876b-07447e7f204f', 'Groups Service'],
  ['39aaf054-81a5-48c7-a4f8-0293012095b9', 'IC3 Gateway'],
  ['6b91db1b-f05b-405a-a0b2-e3f60b28d645', 'M365 Admin Services'],
  ['0cd196ee-71bf-4fd6-a57c-b491ffd4fb1e', 'Media Analysis and Transformation Service'],
  ['944f0bd1-117b-4b1c-af26-804ed95e767e', 'Media Analysis and Transformation Service'],
  ['6f82282e-0070-4e78-bc23-e6320c5fa7de', 'Microsoft Discovery Service'],
  ['00000007-0000-0ff1-ce00-000000000000', 'Microsoft Exchange Online Protection'],
  ['6204c1d1-4712-4c46-a7d9-3ed63d992682', 'Microsoft Flow Portal'],
  ['c9a559d2-7aab-4f13-a6ed-e7e9c52aec87', 'Microsoft Forms'],
  ['40775b29-2688-46b6-a3b5-b256bd04df9f', 'Microsoft Information Protection API'],
  ['d3590ed6-52b3-4102-aeff-aad2292ab01c', 'Microsoft Office'],
  ['00000006-0000-0ff1-ce00-000000000000', 'Microsoft Office 365 Portal'],
  ['394866fc-eedb-4f01-8536-3ff84b16be2a', 'Microsoft People Cards Service'],
  ['dcad865d-9257-4521-ad4d-bae3e137b345', 'Microsoft SharePoint Online - SharePoint Home'],
  ['cf53fce8-def6-4aeb-8d30-b158e7b1cf83', 'Microsoft Stream Portal'],
  ['2634dd23-5e5a-431c-81ca-11710d9079f4', 'Microsoft Stream Service'],
  ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', 'Microsoft Teams'],
  ['b55b276d-2b09-4ad2-8de5-f09cf24ffba9', 'Microsoft Teams - Teams And Channels Service'],
  ['b1379a75-ce5e-4fa3-80c6-89bb39bf646c', 'Microsoft Teams Chat Aggregator'],
  ['ab3be6b7-f5df-413d-ac2d-abf1e3fd9c0b', 'Microsoft Teams Graph Service'],
  ['51133ff5-8e0d-4078-bcca-84fb7f905b64', 'Microsoft Teams Mailhook'],
  ['75efb5bc-18a1-4e7b-8a66-2ad2503d79c6', 'Microsoft Teams Retail Service'],
  ['cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', 'Microsoft Teams Services'],
  ['8e14e873-35ba-4720-b787-0bed94370b17', 'Microsoft Teams Targeting Application'],
  ['1996141e-2b07-4491-927a-5a024b335c78', 'Microsoft Teams UIS'],
  ['5e3ce6c0-2b1f-4285-8d4b-75ee78787346', 'Microsoft Teams Web Client'],
  ['e1829006-9cf1-4d05-8b48-2e665cb48e6a', 'Microsoft Teams Web Client'],
  ['00695ed2-3202-4156-8da1-69f60065e255', 'Microsoft Visio Data Visualizer'],
  ['95de633a-083e-42f5-b444-a4295d8e9314', 'Microsoft Whiteboard Services'],
  ['038187f5-ca69-4382-8c0b-8d87708d099f', 'MSAI Substrate Meeting Intelligence'],
  ['4345a7b9-9a63-4910-a426-35363201d503', 'O365 Suite UX'],
  ['23c898c1-f7e8-41da-9501-f16571f8d097', 'OCPS Checkin Service'],
  ['00000002-0000-0ff1-ce00-000000000000', 'Office 365 Exchange Online'],
  ['66a88757-258c-4c72-893c-3e8bed4d6899', 'Office 365 Search Service'],
  ['00000003-0000-0ff1-ce00-000000000000', 'Office 365 SharePoint Online'],
  ['94c63fef-13a3-47bc-8074-75af8c65887a', 'Office Delve'],
  ['166f1b03-5b19-416f-a94b-1d7aa2d247dc', 'Office Hive'],
  ['ebe0c285-db95-403f-a1a3-a793bd6d7767', 'Office MRO Device Manager Service'],
  ['93d53678-613d-4013-afc1-62e9e444a0a5', 'Office Online Add-in SSO'],
  ['243c63a3-247d-41c5-9d83-7788c43f1c43', 'Office Online Core SSO'],
  ['e03a13ee-9730-4cae-8525-47559c8cf18a', 'Office Online Service'],
  ['62fd1447-0ef3-4ab7-a956-7dd05232ecc1', 'Office Scripts Service'],
  ['b97b6bd4-a49f-4a0c-af18-af507d1da76c', 'Office Shredding Service'],
  ['4b233688-031c-404b-9a80-a4f3f2351f90', 'Office.com'],
  ['89bee1f7-5e6e-4d8a-9f3d-ecd601259da7', 'Office365 Shell WCSS-Client'],
  ['0f698dd4-f011-4d23-a33e-b36416dcb1e6', 'OfficeClientService'],
  ['4765445b-32c6-49b0-83e6-1d93765276ca', 'OfficeHome'],
  ['9e4a5442-a5c9-4f6f-b03f-5b9fcaaf24b1', 'OfficeServicesManager'],
  ['ab9b8c07-8f02-4f72-87fa-80105867a763', 'OneDrive SyncEngine'],
  ['2d4d3d8e-2be3-4bef-9f87-7875a61c29de', 'OneNote'],
  ['475226c6-020e-4fb2-8a90-7a972cbfc1d4', 'PowerApps Service'],
  ['09abbdfd-ed23-44ee-a2d9-a627aa1c90f3', 'ProjectWorkManagement'],
  ['18f36947-75b0-49fb-8d1c-29584a55cac5', 'Reply-At-Mention'],
  ['08e18876-6177-487e-b8b5-cf950c1e598c', 'SharePoint Online Web Client Extensibility'],
  ['3bc2296e-aa22-4ed2-9e1e-946d05afa6a2', 'SharePoint Online Web Client Extensibility Isolated'],
  ['48ac35b8-9aa8-4d74-927d-1f4a14a0b239', 'Skype and Teams Tenant Admin API'],
  ['7557eb47-c689-4224-abcf-aef9bd7573df', 'Skype for Business'],
  ['00000004-0000-0ff1-ce00-000000000000', 'Skype for Business Online'],
  ['1e70cd27-4707-4589-8ec5-9bd20c472a46', 'Skype Presence Service'],
  ['905fcf26-4eb7-48a0-9ff0-8dcc7194b5ba', 'Sway'],
  ['4c4f550b-42b2-4a16-93f9-fdb9e01bb6ed', 'Targeted Messaging Service'],
  ['00000005-0000-0ff1-ce00-000000000000', 'Viva Engage'],
];

const OFFICE365_UNCERTAIN_MEMBERS: readonly [string, string][] = [
  ['4354e225-50c9-4423-9ece-2d5afd904870', 'Augmentation Loop'],
  ['cb58b23f-9a26-4ef4-9e9e-ca08567ef56c', 'Device Management Service'],
  ['9ecb7e6d-4866-4950-a4fa-8612715d528f', 'EnrichmentSvc'],
  ['fb8d773d-7ef8-4ec0-a117-179f88add510', 'Enterprise Copilot Platform'],
  ['93aca3ff-e61e-477f-b3e7-9fe10c6b97af', 'IC3 Gateway Non Cae'],
  ['79d1f229-c1e5-4bd5-b2fd-4764b025b103', 'Insights Services'],
  ['282a4d03-9d80-4d25-b35f-5c49c07c13c8', 'Legacy Smart Compose'],
  ['21e903d7-8d1b-423b-b5e9-4f2afe3b28e1', 'Loop Web Service'],
  ['0fbd6821-7888-443f-821c-36471d94fda1', 'M365 Auditing Public Protected Web API app'],
  ['c0ab8ce9-e9a0-42e7-b064-33d422df41f1', 'M365ChatClient'],
  ['0e90d0b8-039a-4936-a6f4-d25dd510be5d', 'Message Recall'],
  ['7084e364-df71-4a4a-9e8f-d375b5529913', 'Messaging Async Media'],
  ['ba26d027-990d-468f-9bd1-576e149408fc', 'Microsoft 365 Reporting Service'],
  ['5f00fd34-f302-417f-81ef-1adda179d8fd', 'Microsoft Forms Web'],
  ['75f31797-37c9-498e-8dc9-53c16a36afca', 'Microsoft Planner Client'],
  ['4b3e8f46-56d3-427f-b1e2-d239b2ea6bca', 'Microsoft Teams - T4L Web Client'],
  ['5a128dfa-2ded-4deb-b088-fb73a9472488', 'Microsoft Teams Analytics'],
  ['3ff8e6ba-7dc3-4e9e-ba40-ee12b60d6d48', 'Microsoft To-Do web app'],
  ['3ff8e6ba-7dc3-4e9e-ba40-ee12b60d6d48', 'Microsoft Todo web app'],
  ['392c0cd5-b73d-42f5-9e94-49904793f11c', 'Microsoft Virtual Events Portal'],
  ['7fc21101-d09b-4343-8eb3-21187e0431a4', 'Microsoft Virtual Events Services'],
  ['1eff577d-b871-4ec2-a30f-b7d43c927d20', 'Natural Language Editor'],
  ['57da3f69-2d82-4c17-9e57-2e6d78b2dc60', 'O365 Diagnostic Service'],
  ['67ad5377-2d78-4ac2-a867-6300cda00e85', 'Office 365'],
  ['ec156f81-f23a-47bd-b16f-9fb2c66420f9', 'Office 365 Exchange Microservices'],
  ['4455b2bd-5303-4d53-a2f7-c516f73920d4', 'Office Hive Fairfax'],
  ['d2ec8372-dfe3-4557-b7aa-6d898c240f3b', 'Office MRO Device Manager Service'],
  ['2abdc806-e091-4495-9b10-b04d93c3f040', 'Office Online Augmentation Loop SSO'],
  ['b23dd4db-9142-4734-867f-3577f640ad0c', 'Office Online Loki SSO'],
  ['17d5e35f-655b-4fb0-8ae6-86356e9a49f5', 'Office Online Maker SSO'],
  ['3ce44149-e365-40e4-9bb4-8c0ecb710fe6', 'Office Online Print SSO'],
  ['5a4eed13-c4c4-4b4c-9506-334ab200bf31', 'Office Online Search SSO'],
  ['467423d3-dc5d-4c1e-b0e7-12d85ade8da8', 'Office Online Speech SSO'],
  ['baf69396-6842-4148-b212-dc0471397fc2', 'Office Scripts Service - INT'],
  ['13c7ca9b-7bb8-408a-8fad-61a875ebce5e', 'Office Scripts Service - Local'],
  ['ca29553d-93c6-4032-b5f6-e8adfdeaef51', 'Office Scripts Service - Test'],
  ['e4311797-d8d0-441f-bcfe-a609dfc496d1', 'Office365 Shell DoD WCSS-Client'],
  ['9d3a9ac8-5c8a-4d3f-9dc5-e214f8094ce5', 'OfficePowerPointSGS'],
  ['33be1cef-03fb-444b-8fd3-08ca1b4d803f', 'OneDrive'],
  ['6a1a91a6-19f9-4a37-b68b-9bed3f4e6595', 'Outlook Browser Extension'],
  ['13d54852-ae25-4f0b-823a-b09eea89f431', 'Outlook Service for Exchange'],
  ['37f6eaf4-3611-4fbc-9667-ee2ba7e889c0', 'SharePoint eSignature'],
  ['382b7ce7-33db-4bb9-9300-172f2b56a2d7', 'SharePoint eSignature PPE'],
  ['6bc3b958-689b-49f5-9006-36d165f30e00', 'Teams CMD Services Artifacts'],
  ['f229df84-05da-4ca8-a893-6e514fca6157', 'Teams Walkie Talkie Service'],
  ['94a119f7-d300-48d9-ae1f-bbdc7e893d37', 'Teams Walkie Talkie Service - GCC'],
];

/**
 * Every portal-to-id pairing is by display name only: no Microsoft page ties these ids to the
 * group, so all of them are uncertain. The Intune admin center has no public id match.
 */
const ADMIN_PORTAL_UNCERTAIN_MEMBERS: readonly [string, string][] = [
  ['c44b4083-3bb0-49c1-b47d-974e53cbdf3c', 'Azure Portal'],
  ['497effe9-df71-4043-a8bb-14cf78c4b63b', 'Exchange Admin Center'],
  ['00000006-0000-0ff1-ce00-000000000000', 'Microsoft Office 365 Portal'],
  ['618dd325-23f6-4b6f-8380-4df78026e39b', 'Microsoft 365 Admin portal'],
  ['80ccca67-54bd-44ab-8625-4b79c4dc7775', 'Microsoft 365 Security and Compliance Center'],
  ['8ee8fdad-f234-4243-8f3b-15c294843740', 'Microsoft Threat Protection'],
  ['74658136-14ec-4630-ad9b-26e160ff0fc6', 'ADIbizaUX'],
  ['2ddfbe71-ed12-4123-b99b-d5fc8a062a79', 'Microsoft Teams Admin Portal Service'],
];

/**
 * Resources that are plainly not Microsoft 365 services. Microsoft lists Azure Resource Manager
 * (the Windows Azure Service Management API) and the Azure portal as their own targets, and
 * Microsoft Graph cannot be targeted on its own, so none of them is an Office365 member.
 */
const OFFICE365_NON_MEMBERS: readonly [string, string][] = [
  ['797f4846-ba00-4fd7-ba43-dac1f8f63013', 'Windows Azure Service Management API'],
  ['c44b4083-3bb0-49c1-b47d-974e53cbdf3c', 'Azure Portal'],
  ['00000003-0000-0000-c000-000000000000', 'Microsoft Graph'],
  ['00000002-0000-0000-c000-000000000000', 'Windows Azure Active Directory'],
];

/** Microsoft 365 workloads are not admin portals; the admin centers have their own entries above. */
const ADMIN_PORTAL_NON_MEMBERS: readonly [string, string][] = [
  ['00000002-0000-0ff1-ce00-000000000000', 'Office 365 Exchange Online'],
  ['00000003-0000-0ff1-ce00-000000000000', 'Office 365 SharePoint Online'],
  ['cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', 'Microsoft Teams Services'],
  ['00000003-0000-0000-c000-000000000000', 'Microsoft Graph'],
];

const table = (asOf: string, members: readonly [string, string][], uncertain: readonly [string, string][], nonMembers: readonly [string, string][]): AppGroupTable => ({
  asOf,
  members: new Map(members.map(([id, name]) => [id.toLowerCase(), name])),
  uncertainMembers: new Map(uncertain.map(([id, name]) => [id.toLowerCase(), name])),
  nonMembers: new Map(nonMembers.map(([id, name]) => [id.toLowerCase(), name])),
});

export const APP_GROUP_TABLES: AppGroupTables = {
  Office365: table('2024-12-06', OFFICE365_MEMBERS, OFFICE365_UNCERTAIN_MEMBERS, OFFICE365_NON_MEMBERS),
  MicrosoftAdminPortals: table('2026-01-26', [], ADMIN_PORTAL_UNCERTAIN_MEMBERS, ADMIN_PORTAL_NON_MEMBERS),
};

export type GroupMembership = 'member' | 'uncertainMember' | 'nonMember' | 'unknown';

export function appGroupMembership(tables: AppGroupTables, group: AppGroup, appId: string): GroupMembership {
  const entry = tables[group];
  const id = appId.toLowerCase();
  if (entry.members.has(id)) return 'member';
  if (entry.uncertainMembers.has(id)) return 'uncertainMember';
  if (entry.nonMembers.has(id)) return 'nonMember';
  return 'unknown';
}

/** Well-known apps that `whatif --app` accepts by name, with the app groups they belong to. */
export const WELL_KNOWN_APPS: Readonly<Record<string, { appId: string; displayName: string; memberOf: readonly AppGroup[] }>> = {
  exchange: { appId: '00000002-0000-0ff1-ce00-000000000000', displayName: 'Office 365 Exchange Online', memberOf: ['Office365'] },
  sharepoint: { appId: '00000003-0000-0ff1-ce00-000000000000', displayName: 'Office 365 SharePoint Online', memberOf: ['Office365'] },
  teams: { appId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', displayName: 'Microsoft Teams Services', memberOf: ['Office365'] },
  officehome: { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', displayName: 'OfficeHome', memberOf: ['Office365'] },
  'azure-portal': { appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', displayName: 'Azure Portal', memberOf: ['MicrosoftAdminPortals'] },
  'azure-management': { appId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', displayName: 'Windows Azure Service Management API', memberOf: [] },
  'azure-ad-graph': { appId: '00000002-0000-0000-c000-000000000000', displayName: 'Windows Azure Active Directory', memberOf: [] },
  'device-registration': { appId: '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9', displayName: 'Device Registration Service', memberOf: [] },
};
