import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';

import type { Level, Logger } from 'pino';

/**
 * Logger for diagnostics on stderr. Level from TOKENGAP_LOG_LEVEL (default `warn`).
 * Never pass tokens, secrets or whole sign-in records to it: log ids, counts and statuses.
 *
 * pino is loaded on the first log call, not at import: loading it took about 20 ms, which every
 * command and every sign-in review worker paid, and most of them never log. `isLevelEnabled` and
 * `level` work without loading it.
 */
const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Number.POSITIVE_INFINITY };
const LEVEL = levelFromEnvironment();

/** Reads TOKENGAP_LOG_LEVEL. An unknown name is reported once and replaced by `warn`, rather than stopping the command. */
function levelFromEnvironment(): string {
  const level = process.env.TOKENGAP_LOG_LEVEL;
  if (level === undefined || level === '') return 'warn';
  if (level in LEVEL_VALUES) return level;
  if (isMainThread) process.stderr.write(`tokengap: TOKENGAP_LOG_LEVEL=${level} is not a log level (${Object.keys(LEVEL_VALUES).join(', ')}); using warn\n`);
  return 'warn';
}

let instance: Logger | undefined;

function logger(): Logger {
  if (!instance) {
    const { pino } = createRequire(import.meta.url)('pino') as typeof import('pino');
    instance = pino(
      {
        level: LEVEL,
        redact: { paths: ['*.authorization', '*.Authorization', '*.access_token', '*.client_secret', '*.token'], censor: '[redacted]' },
      },
      pino.destination(2),
    );
  }
  return instance;
}

export const log: Logger = new Proxy({} as Logger, {
  get(_target, property) {
    if (property === 'isLevelEnabled' && instance === undefined) {
      return (level: Level) => (LEVEL_VALUES[level] ?? 0) >= LEVEL_VALUES[LEVEL]!;
    }
    if (property === 'level' && instance === undefined) return LEVEL;
    const real = logger();
    const value = Reflect.get(real, property, real) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real) : value;
  },
});
