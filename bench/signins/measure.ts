/**
 * One engine's run, in its own process: `measure.ts tokengap FILE` or `measure.ts duckdb FILE`.
 * Prints { ms, maxRssMb, detail } as JSON.
 */
import { availableParallelism } from 'node:os';

// The built code, as the shipped CLI runs it: worker threads then start without a TypeScript loader.
const { reviewSignIns } = (await import(new URL('../../dist/signins/review.js', import.meta.url).href)) as typeof import('../../src/signins/review.js');

const [mode, file] = process.argv.slice(2) as [string, string];

async function runTokengap(): Promise<Record<string, unknown>> {
  const result = await reviewSignIns([file]);
  const alertsByUser: Record<string, string[]> = {};
  for (const alert of result.alerts) (alertsByUser[alert.user] ??= []).push(alert.detection);
  return { alerts: result.alerts.length, events: result.summary.eventCount, alertsByUser };
}

/** Runs the two detections in SQL over the same file, with the column types declared up front. */
async function runDuckdb(): Promise<Record<string, unknown>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(availableParallelism()) });
  const connection = await instance.connect();
  const columns = `{
    'id': 'VARCHAR', 'createdDateTime': 'TIMESTAMP', 'userPrincipalName': 'VARCHAR', 'appDisplayName': 'VARCHAR',
    'ipAddress': 'VARCHAR', 'authenticationProtocol': 'VARCHAR', 'originalTransferMethod': 'VARCHAR', 'sessionId': 'VARCHAR',
    'autonomousSystemNumber': 'INTEGER', 'status': 'STRUCT(errorCode INTEGER)', 'location': 'STRUCT(countryOrRegion VARCHAR)'
  }`;
  const source = `read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = ${columns})`;
  const deviceCode = await connection.runAndReadAll(`
    SELECT userPrincipalName, appDisplayName, count(*) AS signIns, min(createdDateTime) AS first, max(createdDateTime) AS last
    FROM ${source}
    WHERE status.errorCode = 0 AND (authenticationProtocol = 'deviceCode' OR originalTransferMethod = 'deviceCodeFlow')
    GROUP BY ALL`);
  const sessionReplay = await connection.runAndReadAll(`
    SELECT userPrincipalName, sessionId, count(DISTINCT location.countryOrRegion) AS countries, count(DISTINCT autonomousSystemNumber) AS asns
    FROM ${source}
    WHERE status.errorCode = 0 AND sessionId IS NOT NULL
    GROUP BY userPrincipalName, sessionId, time_bucket(INTERVAL 24 HOUR, createdDateTime)
    HAVING count(DISTINCT location.countryOrRegion) > 1 OR count(DISTINCT autonomousSystemNumber) > 1`);
  return { deviceCodeRows: deviceCode.getRows().length, sessionReplayRows: sessionReplay.getRows().length };
}

const started = performance.now();
const detail = mode === 'duckdb' ? await runDuckdb() : await runTokengap();
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), detail }) + '\n');
