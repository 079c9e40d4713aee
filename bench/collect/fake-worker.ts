// Child process of the collect benchmark: generates the tenant and serves it with the fake
// Graph server, so the server's work does not share the event loop with collect.

import type { FakeTenantData } from '../../src/graph/fake/data.js';
import { FakeGraphServer, type FakeFault, type FakeStats } from '../../src/graph/fake/server.js';

export interface WorkerRequest {
  users: number;
  groups: number;
  signIns: number;
  latencyMs: number;
  tenantId: string;
  clientId: string;
  secret: string;
  now: string;
  faults: FakeFault[];
  reportsLimit?: { limit: number; windowMs: number };
}

export type WorkerReply = { kind: 'ready'; url: string; ca: string } | { kind: 'stopped'; stats: FakeStats };

function guid(kind: number, n: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function generateTenant(request: WorkerRequest): FakeTenantData {
  const { users: USERS, groups: GROUPS, signIns: SIGN_IN_COUNT, tenantId: TENANT } = request;
  const NOW = new Date(request.now);
  const users = Array.from({ length: USERS }, (_, i) => ({
    id: guid(1, i),
    displayName: `User ${i}`,
    userPrincipalName: `user${i}@bench.example`,
    accountEnabled: true,
    userType: 'Member',
    signInActivity: { lastSignInDateTime: '2026-11-20T08:00:00Z' },
  }));
  const groups = Array.from({ length: GROUPS }, (_, i) => ({ id: guid(2, i), displayName: `Group ${i}`, securityEnabled: true }));
  const groupMembers: Record<string, Record<string, unknown>[]> = {};
  for (const [i, group] of groups.entries()) {
    groupMembers[group.id] = Array.from({ length: 10 }, (_, k) => {
      const user = users[(i * 10 + k) % users.length]!;
      return { '@odata.type': '#microsoft.graph.user', id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName };
    });
  }
  // Sign-ins spread evenly over the 30 days before NOW, half interactive, half not.
  const span = 29 * 86_400_000;
  const signIns = Array.from({ length: SIGN_IN_COUNT }, (_, i) => {
    const kind = i % 2 === 0 ? 'interactiveUser' : 'nonInteractiveUser';
    return {
      id: `s-${i}`,
      createdDateTime: new Date(NOW.getTime() - 60_000 - Math.floor((i / SIGN_IN_COUNT) * span)).toISOString(),
      userId: users[i % users.length]!.id,
      appId: '29d9ed98-a469-4536-ade2-f981bc1d605e',
      signInEventTypes: [kind],
      ipAddress: `203.0.113.${i % 250}`,
      status: { errorCode: 0 },
    };
  });
  return {
    manifest: { tenantId: TENANT, resources: {} },
    collections: { organization: [{ id: TENANT, displayName: 'Bench tenant' }], users, groups, devices: [], conditionalAccessPolicies: [] },
    singletons: { authorizationPolicy: { id: 'authorizationPolicy' } },
    groupMembers,
    signIns,
  };
}


let server: FakeGraphServer | undefined;

process.on('message', (message: WorkerRequest | 'stop') => {
  void (async () => {
    if (message === 'stop') {
      await server?.close();
      process.send!({ kind: 'stopped', stats: { ...server!.stats, log: [] } } satisfies WorkerReply, () => process.disconnect());
      return;
    }
    server = new FakeGraphServer({
      tenants: [{ tenantId: message.tenantId, clientId: message.clientId, clientSecret: message.secret, data: generateTenant(message) }],
      latencyMs: message.latencyMs,
      faults: message.faults.map((fault) => ({ ...fault })),
      ...(message.reportsLimit ? { reportsLimit: message.reportsLimit } : {}),
    });
    await server.start();
    process.send!({ kind: 'ready', url: server.url, ca: server.certificate.cert } satisfies WorkerReply);
  })();
});
