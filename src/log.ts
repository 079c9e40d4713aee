import { pino, type Logger } from 'pino';

/**
 * Logger for diagnostics on stderr. Level from TOKENGAP_LOG_LEVEL (default `warn`).
 * Never pass tokens, secrets or whole sign-in records to it: log ids, counts and statuses.
 */
export const log: Logger = pino(
  {
    level: process.env.TOKENGAP_LOG_LEVEL ?? 'warn',
    redact: { paths: ['*.authorization', '*.Authorization', '*.access_token', '*.client_secret', '*.token'], censor: '[redacted]' },
  },
  pino.destination(2),
);
