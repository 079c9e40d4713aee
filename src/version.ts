import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Version of tokengap, recorded in snapshots and reports. */
export const TOOL_VERSION: string = packageJson.version;
