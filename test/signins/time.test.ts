import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isoTime } from '../../src/signins/normalise.js';

/** What isoTime must return for a UTC time: Date's own reading of it, or an error where Date cannot read it. */
function viaDate(value: string): string {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'error';
}

function readTime(value: string): string {
  try {
    return isoTime(value, 'createdDateTime');
  } catch {
    return 'error';
  }
}

describe('isoTime on Graph UTC times', () => {
  it('isoTime equals Date on a time grid', () => {
    const pad = (value: number, width = 2) => String(value).padStart(width, '0');
    let cases = 0;
    for (const year of [0, 999, 1970, 2023, 2024, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          for (const hour of [0, 23, 24]) {
            for (const fraction of ['', '.1', '.12', '.123', '.1239', '.999999999', '.']) {
              const value = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:59:59${fraction}Z`;
              assert.equal(readTime(value), viaDate(value), value);
              cases++;
            }
          }
        }
      }
    }
    assert.equal(cases, 6 * 14 * 33 * 3 * 7);
  });

  it('isoTime names a missing or non-text time', () => {
    assert.throws(() => isoTime(undefined, 'createdDateTime'), /createdDateTime is missing/);
    assert.throws(() => isoTime('  ', 'createdDateTime'), /createdDateTime is missing/);
    assert.throws(() => isoTime(1714550400000, 'createdDateTime'), /createdDateTime is a number \(1714550400000\), not a time/);
    assert.throws(() => isoTime(['2026-05-01'], 'createdDateTime'), /createdDateTime is an array/);
  });

  it('keeps the rollover of impossible dates that Date applies', () => {
    assert.equal(isoTime('2023-02-30T00:00:00Z', 'createdDateTime'), '2023-03-02T00:00:00.000Z');
    assert.equal(isoTime('2023-01-01T24:00:00Z', 'createdDateTime'), '2023-01-02T00:00:00.000Z');
    assert.equal(isoTime('2026-05-01T09:00:00.5Z', 'createdDateTime'), '2026-05-01T09:00:00.500Z');
  });
});

describe('isoMs on normalised times', () => {
  it('isoMs equals Date.parse, years 0 to 10000', async () => {
    const { isoMs } = await import('../../src/signins/normalise.js');
    const samples = [-62_198_755_200_000, -1, 0, 1, 951_782_400_000, 1_709_164_800_123, 253_402_300_799_999, 253_402_300_800_000];
    for (let ms = -62_167_219_200_000; ms < 253_402_300_800_000; ms += 86_399_937_731) samples.push(ms);
    for (const ms of samples) {
      const iso = new Date(ms).toISOString();
      assert.equal(isoMs(iso), Date.parse(iso), iso);
    }
    assert.ok(samples.length > 3_000);
  });
});
