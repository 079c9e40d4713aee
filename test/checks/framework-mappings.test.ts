import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { frameworkMappingsSchema, loadFrameworkMappings } from '../../src/checks/framework-mappings.js';
import { CHECKS } from '../../src/checks/registry.js';

describe('framework mappings', () => {
  const mappings = loadFrameworkMappings();
  const ids = new Set(CHECKS.map((check) => check.id));

  it('names only registered checks', () => {
    const unknown = Object.keys(mappings.mappings).filter((id) => !ids.has(id));
    assert.deepEqual(unknown, []);
  });

  it('uses well-formed SCuBA ids', () => {
    for (const [checkId, mapping] of Object.entries(mappings.mappings)) {
      for (const id of mapping.cisaScubaAad ?? []) assert.match(id, /^MS\.AAD\.\d+\.\d+v\d+$/, checkId);
    }
  });

  it('uses well-formed CIS ids', () => {
    for (const [checkId, mapping] of Object.entries(mappings.mappings)) {
      for (const id of mapping.cisM365 ?? []) assert.match(id, /^\d+(?:\.\d+)+$/, checkId);
    }
  });

  it('maps device code flow to MS.AAD.3.9v1', () => {
    assert.deepEqual(mappings.mappings['device-code-flow-is-blocked']?.cisaScubaAad, ['MS.AAD.3.9v1']);
  });

  it('rejects an unknown framework', () => {
    const bad = { frameworks: mappings.frameworks, mappings: { 'device-code-flow-is-blocked': { nist: ['AC-2'] } } };
    assert.equal(frameworkMappingsSchema.safeParse(bad).success, false);
  });
});
