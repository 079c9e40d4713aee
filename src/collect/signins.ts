import type { Logger } from 'pino';

import type { GraphClient } from '../graph/client.js';
import { SIGN_INS } from '../graph/endpoints.js';
import type { SnapshotFolder } from './folder.js';

export type SignInStreamName = (typeof SIGN_INS.eventTypes)[number];

/** File name under `signIns/` of each stream. */
export const SIGN_IN_FILES: Record<SignInStreamName, string> = {
  interactiveUser: 'interactive.ndjson',
  nonInteractiveUser: 'non-interactive.ndjson',
};

/** Progress of one sign-in stream, saved after every page so an interrupted run resumes. */
export interface SignInStreamState {
  done: boolean;
  count: number;
  /** Size of the stream's file when the state was saved; a resumed run cuts the file back to it. */
  bytes: number;
  /** `createdDateTime` of the oldest record written so far. */
  oldest?: string;
  /** Ids of the records written with exactly `oldest`, skipped when the resumed read repeats them. */
  idsAtOldest: string[];
}

export interface SignInCollectionState {
  tenantId: string;
  from: string;
  to: string;
  streams: Record<SignInStreamName, SignInStreamState>;
}

export const STATE_FILE = 'collect-state.json';

export function newSignInState(tenantId: string, from: string, to: string): SignInCollectionState {
  const stream = (): SignInStreamState => ({ done: false, count: 0, bytes: 0, idsAtOldest: [] });
  return { tenantId, from, to, streams: { interactiveUser: stream(), nonInteractiveUser: stream() } };
}

/**
 * Reads one stream of sign-in logs, newest first as Graph returns them, appending each page to
 * its NDJSON file. A resumed stream requests again the records at or before the oldest one written
 * and skips those already written at that instant, because a saved `$skiptoken` may have
 * expired by the time the run resumes. `stop` is set when the other stream fails.
 */
export async function collectSignInStream(
  client: GraphClient,
  folder: SnapshotFolder,
  state: SignInCollectionState,
  stream: SignInStreamName,
  logger: Logger,
  onItems: (count: number) => void,
  stop: { requested: boolean },
): Promise<void> {
  const progress = state.streams[stream];
  const file = `signIns/${SIGN_IN_FILES[stream]}`;
  // A crash between an append and the save of the state leaves records the state does not
  // count, or half a line. Cutting the file back to the saved size drops both.
  await folder.truncate(file, progress.bytes);
  if (progress.done) return;

  const upper = progress.oldest ?? state.to;
  const filter = `createdDateTime ge ${state.from} and createdDateTime le ${upper} and signInEventTypes/any(t: t eq '${stream}')`;
  const query = new URLSearchParams({ $filter: filter, $top: String(SIGN_INS.maxTop) });
  const firstUrl = client.url(`${SIGN_INS.path}?${query.toString()}`, SIGN_INS.version);
  if (progress.oldest) logger.info({ stream, written: progress.count, oldest: progress.oldest }, 'resuming sign-in collection');

  for await (const page of client.pages<Record<string, unknown>>(firstUrl)) {
    // The other stream failed: stop at a page boundary so the saved state matches the file.
    if (stop.requested) return;
    const lines: string[] = [];
    const skip = new Set(progress.idsAtOldest);
    // The position moves in local variables and is stored only after the append, with no await
    // in between, because the other stream may save the shared state at any await.
    let oldest = progress.oldest;
    let idsAtOldest = progress.idsAtOldest;
    for (const record of page.items) {
      const id = String(record.id ?? '');
      const created = String(record.createdDateTime ?? '');
      if (created === progress.oldest && skip.has(id)) continue;
      lines.push(JSON.stringify(withoutAnnotations(record)));
      if (oldest === undefined || Date.parse(created) < Date.parse(oldest)) {
        oldest = created;
        idsAtOldest = [id];
      } else if (created === oldest) {
        if (idsAtOldest === progress.idsAtOldest) idsAtOldest = [...idsAtOldest];
        idsAtOldest.push(id);
      }
    }
    const written = await folder.appendLines(file, lines);
    progress.bytes += written;
    progress.count += lines.length;
    progress.oldest = oldest;
    progress.idsAtOldest = idsAtOldest;
    onItems(lines.length);
    await folder.writeJson(STATE_FILE, state);
  }
  progress.done = true;
  await folder.writeJson(STATE_FILE, state);
}

/** Drops `@odata.*` annotations other than `@odata.type`; the snapshot keeps Graph's properties only. */
export function withoutAnnotations<T extends Record<string, unknown>>(item: T): T {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(item)) {
    if (key.startsWith('@odata.') && key !== '@odata.type') {
      copy ??= { ...item };
      delete copy[key];
    }
  }
  return (copy ?? item) as T;
}
