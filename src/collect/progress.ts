import cliProgress from 'cli-progress';

import type { ProgressEvent } from './tenant.js';

/**
 * Progress display on a terminal: one line per tenant with items read and requests sent.
 * Returns undefined when stderr is not a TTY, so logs and CI output stay clean.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): { onProgress: (event: ProgressEvent) => void; stop: () => void } | undefined {
  if (!stream.isTTY) return undefined;
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: '{tenant} | {resource} | {value} items | {requests} requests',
      hideCursor: true,
      clearOnComplete: false,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const byTenant = new Map<string, { bar: cliProgress.SingleBar; items: number }>();
  return {
    onProgress(event) {
      let entry = byTenant.get(event.tenantId);
      if (!entry) {
        entry = { bar: bars.create(0, 0, { tenant: event.tenantId, resource: event.resource, requests: 0 }), items: 0 };
        byTenant.set(event.tenantId, entry);
      }
      entry.items += event.items;
      entry.bar.update(entry.items, { resource: event.resource, requests: event.requests });
    },
    stop() {
      bars.stop();
    },
  };
}
