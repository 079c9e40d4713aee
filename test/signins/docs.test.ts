import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { DETECTIONS } from '../../src/signins/detections/index.js';
import { DETECTION_IDS } from '../../src/signins/detections/types.js';
import { repoRoot } from '../helpers/shared.js';

describe('sign-in review docs', () => {
  const docs = readFileSync(join(repoRoot, 'docs', 'signins.md'), 'utf8');

  it('registry lists every detection once', () => {
    assert.deepEqual(DETECTIONS.map((detection) => detection.id), [...DETECTION_IDS]);
  });

  for (const detection of DETECTIONS) {
    it(`documents ${detection.id}`, () => {
      assert.ok(docs.includes(`### \`${detection.id}\`: ${detection.title}`), 'heading with the id and title');
      assert.ok(docs.includes(detection.description), 'the description from the metadata');
      assert.ok(detection.sources.length > 0, 'at least one source');
    });
  }
});
