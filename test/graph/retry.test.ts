import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { classifyFailure } from '../../src/collect/classify.js';
import { tenantFolderName } from '../../src/collect/config.js';
import { VirtualClock } from '../../src/graph/clock.js';
import { CLOUD_ENDPOINTS, parseCloud } from '../../src/graph/clouds.js';
import { GraphRequestError } from '../../src/graph/errors.js';
import { parseFaultSpec } from '../../src/graph/fake/faults.js';
import { matchesFilter, parseFilter } from '../../src/graph/fake/filter.js';
import { SlidingWindowLimiter } from '../../src/graph/rate-limit.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay } from '../../src/graph/retry.js';
import { UserError } from '../../src/errors.js';

describe('Retry-After', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  const cases: [string | undefined, number | undefined][] = [
    ['7', 7_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Tue, 01 Dec 2026 10:00:30 GMT', 30_000],
    ['Tue, 01 Dec 2026 09:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [header, expected] of cases) {
    test(`parses ${JSON.stringify(header)}`, () => assert.equal(parseRetryAfter(header, now), expected));
  }
});

describe('retry delay', () => {
  test('Retry-After wins over backoff', () => {
    assert.equal(retryDelay(DEFAULT_RETRY_POLICY, 5, 3_000), 3_000);
  });

  test('Retry-After is capped', () => {
    assert.equal(retryDelay(DEFAULT_RETRY_POLICY, 1, 3_600_000), DEFAULT_RETRY_POLICY.maxRetryAfterMs);
  });

  test('backoff doubles with jitter in the upper half', () => {
    const low = { ...DEFAULT_RETRY_POLICY, random: () => 0 };
    const high = { ...DEFAULT_RETRY_POLICY, random: () => 1 };
    assert.equal(retryDelay(low, 1, undefined), 500);
    assert.equal(retryDelay(high, 1, undefined), 1_000);
    assert.equal(retryDelay(high, 3, undefined), 4_000);
  });

  test('backoff stops at the cap', () => {
    const high = { ...DEFAULT_RETRY_POLICY, random: () => 1 };
    assert.equal(retryDelay(high, 20, undefined), DEFAULT_RETRY_POLICY.maxDelayMs);
  });
});

describe('sliding window limiter', () => {
  test('six requests at 5 per 10 s wait one window', async () => {
    const clock = new VirtualClock(0);
    const limiter = new SlidingWindowLimiter(5, 10_000, clock);
    const starts: number[] = [];
    for (let i = 0; i < 6; i++) {
      await limiter.acquire();
      starts.push(clock.now());
    }
    assert.deepEqual(starts, [0, 0, 0, 0, 0, 10_000]);
  });

  test('concurrent callers are served in order', async () => {
    const clock = new VirtualClock(0);
    const limiter = new SlidingWindowLimiter(2, 1_000, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map(async (i) => {
      await limiter.acquire();
      order.push(i);
    }));
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.equal(clock.now(), 1_000);
  });
});

describe('fake server filter', () => {
  const signIn = { createdDateTime: '2026-11-20T08:00:00Z', signInEventTypes: ['nonInteractiveUser'] };

  test('date range and event type', () => {
    const clauses = parseFilter("createdDateTime ge 2026-11-01T00:00:00.000Z and createdDateTime le 2026-11-20T08:00:00Z and signInEventTypes/any(t: t eq 'nonInteractiveUser')");
    assert.equal(clauses.length, 3);
    assert.equal(matchesFilter(signIn, clauses), true);
  });

  test('rejects a date past the upper bound', () => {
    assert.equal(matchesFilter(signIn, parseFilter('createdDateTime lt 2026-11-20T08:00:00Z')), false);
  });

  test('rejects another event type', () => {
    assert.equal(matchesFilter(signIn, parseFilter("signInEventTypes/any(t: t eq 'interactiveUser')")), false);
  });

  test('rejects unsupported syntax', () => {
    assert.throws(() => parseFilter("startswith(displayName,'a')"), /unsupported filter clause/);
  });
});

describe('fault spec', () => {
  test('parses every option', () => {
    assert.deepEqual(parseFaultSpec('throttle,match=/users,after=1,times=2,retryAfter=5,inBatch=true'), {
      kind: 'throttle', match: '/users', after: 1, times: 2, retryAfter: 5, inBatch: true,
    });
    assert.deepEqual(parseFaultSpec('unavailable,retryAfter=date,times=always'), { kind: 'unavailable', retryAfter: 'date', times: Number.POSITIVE_INFINITY });
  });

  test('rejects an unknown kind', () => {
    assert.throws(() => parseFaultSpec('explode'), UserError);
  });

  test('rejects a bad count', () => {
    assert.throws(() => parseFaultSpec('reset,after=-1'), /whole number/);
  });
});

describe('failure classification', () => {
  const error = (status: number | undefined, code: string | undefined, message: string) => new GraphRequestError(status, code, message, 'req-1', 'https://graph.example/v1.0/x');
  const cases: [string, GraphRequestError, string, Record<string, unknown>][] = [
    ['no P1 on sign-ins', error(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license"), 'unlicensed', { license: 'Entra ID P1' }],
    ['no Intune', error(400, 'BadRequest', 'Request not applicable to target tenant.'), 'unlicensed', { license: 'Microsoft Intune' }],
    ['no P2', error(403, 'Forbidden', 'Your tenant is not licensed for this feature.'), 'unlicensed', { license: 'Entra ID P2' }],
    ['missing permission', error(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), 'forbidden', { permission: 'X.Read.All' }],
    ['server error', error(500, 'generalException', 'General exception'), 'failed', { requestId: 'req-1' }],
    ['reset after retries', error(undefined, 'reset', 'socket hang up'), 'failed', {}],
  ];
  for (const [name, failure, status, fields] of cases) {
    test(name, () => {
      const result = classifyFailure(failure, 'X.Read.All', name === 'no Intune' ? 'Microsoft Intune' : 'Entra ID P2');
      assert.equal(result.status, status);
      for (const [key, value] of Object.entries(fields)) assert.equal((result as unknown as Record<string, unknown>)[key], value, key);
      assert.equal(result.error?.code, failure.code);
    });
  }
});

describe('names', () => {
  test('tenant folder from name and id', () => {
    assert.equal(tenantFolderName({ tenantId: 'AAAA1111-0000-4000-8000-000000000001', name: 'Müller & Söhne GmbH' }), 'muller-sohne-gmbh-aaaa1111-0000-4000-8000-000000000001');
  });

  test('tenant folder without a name', () => {
    assert.equal(tenantFolderName({ tenantId: 'aaaa1111-0000-4000-8000-000000000001' }), 'aaaa1111-0000-4000-8000-000000000001');
  });

  test('tenant folder with a name of symbols only', () => {
    assert.equal(tenantFolderName({ tenantId: 'aaaa1111-0000-4000-8000-000000000001', name: '../..' }), 'aaaa1111-0000-4000-8000-000000000001');
  });

  test('national clouds', () => {
    assert.equal(CLOUD_ENDPOINTS[parseCloud('usgovdod')].graph, 'https://dod-graph.microsoft.us');
    assert.equal(CLOUD_ENDPOINTS[parseCloud('china')].login, 'https://login.chinacloudapi.cn');
    assert.throws(() => parseCloud('germany'), UserError);
  });
});
