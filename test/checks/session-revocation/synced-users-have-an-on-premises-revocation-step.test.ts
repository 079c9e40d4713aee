import { syncedUsersHaveAnOnPremisesRevocationStep as check } from '../../../src/checks/session-revocation/synced-users-have-an-on-premises-revocation-step.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { user } from '../../helpers/tenant.js';

const cloud = user({ displayName: 'Cloud Carla' });
const synced = ['Ada', 'Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus'].map((name) => user({ displayName: name, onPremisesSyncEnabled: true }));

runCheckCases(check, [
  {
    name: 'cloud-only tenant passes',
    tenant: { users: [cloud, user({ displayName: 'Null sync', onPremisesSyncEnabled: null })] },
    expect: { state: 'pass', summary: 'no-synced-users' },
  },
  {
    name: 'synced users need an AD step',
    tenant: { users: [cloud, ...synced] },
    expect: {
      state: 'manual',
      findings: [
        {
          messageId: 'synced-users',
          key: 'synced-users-have-an-on-premises-revocation-step',
          data: {
            count: 7,
            examples: ['Ada (ada@contoso.onmicrosoft.com)', 'Bo (bo@contoso.onmicrosoft.com)', 'Cy (cy@contoso.onmicrosoft.com)', 'Di (di@contoso.onmicrosoft.com)', 'Ed (ed@contoso.onmicrosoft.com)', 'and 2 more'],
          },
        },
      ],
    },
  },
  {
    name: 'disabled synced users are not counted',
    tenant: { users: [cloud, { ...synced[0]!, accountEnabled: false }] },
    expect: { state: 'pass' },
  },
  {
    name: 'users not collected',
    tenant: {},
    expect: { state: 'skipped', skipReason: 'resource-not-collected' },
  },
]);
