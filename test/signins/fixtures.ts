import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Builds a Graph beta signIn with the fields the detections read. Tests override what they need. */
export function graphSignIn(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'event-1',
    createdDateTime: '2026-05-01T09:00:00Z',
    userId: '11111111-1111-1111-1111-111111111111',
    userPrincipalName: 'ada@contoso.example',
    userDisplayName: 'Ada',
    appId: '00000003-0000-0000-c000-000000000000',
    appDisplayName: 'Microsoft Graph',
    resourceId: '00000003-0000-0000-c000-000000000000',
    ipAddress: '198.51.100.10',
    clientAppUsed: 'Browser',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/120.0',
    isInteractive: true,
    authenticationProtocol: 'none',
    originalTransferMethod: 'none',
    incomingTokenType: 'none',
    sessionId: 'session-1',
    uniqueTokenIdentifier: 'dG9rZW4',
    autonomousSystemNumber: 64500,
    conditionalAccessStatus: 'success',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    status: { errorCode: 0 },
    location: { city: 'Lyon', countryOrRegion: 'FR', geoCoordinates: { latitude: 45.76, longitude: 4.84 } },
    ...overrides,
  };
}

const created: string[] = [];

/**
 * Creates a temporary folder for one test's inputs, removed when the test process exits. The prefix
 * differs from the review's own spill folders, so a leak of those stays visible.
 */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokengap-test-signins-'));
  if (created.length === 0) process.once('exit', () => created.forEach((path) => rmSync(path, { recursive: true, force: true })));
  created.push(dir);
  return dir;
}

export function writeInput(dir: string, name: string, content: string | Buffer, options: { gzip?: boolean } = {}): string {
  const path = join(dir, name);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  writeFileSync(path, options.gzip ? gzipSync(bytes) : bytes);
  return path;
}

export function ndjson(rows: unknown[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
}

/** UTF-16LE with a byte-order mark, as Windows PowerShell 5.1 writes. */
export function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}
