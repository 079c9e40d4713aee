import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DeviceFilterSyntaxError, evaluateDeviceFilter, parseDeviceFilter } from '../../src/conditional-access/device-filter.js';

describe('parseDeviceFilter', () => {
  const malformed: [string, string, RegExp][] = [
    ['unclosed quote', 'device.trustType -eq "AzureAD', /quoted value is not closed/],
    ['unknown operator', 'device.trustType -like "Azure*"', /unknown operator -like/],
    ['unsupported attribute', 'device.color -eq "red"', /unsupported attribute device.color/],
    ['missing value', 'device.trustType -eq', /expected a quoted value/],
    ['bare value', 'device.trustType -eq AzureAD', /values must be quoted/],
    ['unclosed parenthesis', '(device.trustType -eq "AzureAD"', /parenthesis is not closed/],
    ['list for -eq', 'device.model -eq ["a"]', /needs a single value/],
    ['string for -in', 'device.model -in "a"', /needs a list/],
    ['unclosed list', 'device.model -in ["a"', /list is not closed/],
    ['two terms without a joiner', 'device.model -eq "a" device.model -eq "b"', /join terms with -and or -or/],
    ['dangling -and', 'device.model -eq "a" -and', /ends where a term was expected/],
    ['empty rule', '', /ends where a term was expected/],
    ['too long', `device.model -eq "${'x'.repeat(3100)}"`, /longer than 3072/],
  ];
  for (const [name, rule, message] of malformed) {
    test(`rejects ${name}`, () => {
      assert.throws(() => parseDeviceFilter(rule), (error: unknown) => error instanceof DeviceFilterSyntaxError && message.test(error.message));
    });
  }

  test('operators and attributes ignore case', () => {
    const tree = parseDeviceFilter('Device.TrustType -EQ "azuread" -AND device.isCompliant -eq true');
    assert.equal(evaluateDeviceFilter(tree, { trustType: 'AzureAD', isCompliant: true }), true);
  });

  test('-and binds tighter than -or', () => {
    const tree = parseDeviceFilter('device.model -eq "a" -or device.model -eq "b" -and device.trustType -eq "ServerAD"');
    assert.equal(evaluateDeviceFilter(tree, { model: 'a', trustType: 'AzureAD' }), true);
    assert.equal(evaluateDeviceFilter(tree, { model: 'b', trustType: 'AzureAD' }), false);
  });
});

describe('evaluateDeviceFilter on an unregistered device', () => {
  const cases: [string, boolean][] = [
    ['device.trustType -eq "AzureAD"', false],
    ['device.displayName -startsWith "PC"', false],
    ['device.displayName -endsWith "01"', false],
    ['device.displayName -contains "PC"', false],
    ['device.model -in ["a","b"]', false],
    ['device.trustType -ne "AzureAD"', true],
    ['device.displayName -notStartsWith "PC"', true],
    ['device.displayName -notEndsWith "01"', true],
    ['device.displayName -notContains "PC"', true],
    ['device.model -notIn ["a","b"]', true],
  ];
  for (const [rule, expected] of cases) {
    test(`${rule} gives ${expected}`, () => {
      assert.equal(evaluateDeviceFilter(parseDeviceFilter(rule), null), expected);
    });
  }

  test('collections match any element', () => {
    const tree = parseDeviceFilter('device.systemLabels -contains "M365Managed"');
    assert.equal(evaluateDeviceFilter(tree, { systemLabels: ['Other', 'M365Managed'] }), true);
  });
});
