import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

import { DETECTION_IDS } from '../../src/signins/detections/types.js';
import { kqlQueries } from '../../src/signins/kql.js';
import { KQL_TABLES } from '../../src/signins/kql-schema.js';

// The language service is a Bridge.NET build that defines the globals `Bridge` and `Kusto`.
const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');

interface Diagnostic {
  Severity: string;
  Code: string;
  Message: string;
  Start: number;
}
/* eslint-disable @typescript-eslint/no-explicit-any */
const runtime = globalThis as any;
const language = runtime.Kusto.Language;

function globalsWithTables(): unknown {
  const tables = Object.entries(KQL_TABLES).map(
    ([name, columns]) => new language.Symbols.TableSymbol.$ctor7(name, `(${columns.map(([column, type]) => `['${column}']:${type}`).join(', ')})`, null),
  );
  return language.GlobalState.Default.WithDatabase(new language.Symbols.DatabaseSymbol.ctor('workspace', tables));
}

function errors(query: string, globals: unknown): string[] {
  const code = language.KustoCode.ParseAndAnalyze(query, globals);
  const diagnostics = runtime.Bridge.toArray(code.GetDiagnostics()) as Diagnostic[];
  return diagnostics.filter((diagnostic) => diagnostic.Severity === 'Error').map((diagnostic) => `${diagnostic.Code} at ${diagnostic.Start}: ${diagnostic.Message}`);
}

describe('KQL export', () => {
  const globals = globalsWithTables();
  const queries = kqlQueries({ breakGlassAccounts: ['bg1@contoso.example'] });

  it('covers every detection', () => {
    assert.deepEqual(Object.keys(queries).sort(), [...DETECTION_IDS].sort());
  });

  for (const id of DETECTION_IDS) {
    it(`${id} parses against the table schemas`, () => {
      assert.deepEqual(errors(queries[id], globals), []);
    });
  }

  it('language service rejects an unknown column', () => {
    assert.match(errors('SigninLogs | where NoSuchColumn == 1', globals).join('\n'), /KS142/);
  });
});
